import { DatePicker, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ZONE } from '../lib/time.ts';

/** A statistics period as the API takes it: a period label (2026-11, 2026-Q4, 2026-H2, 2026) or a range of days. */
export type PeriodValue = { period: string } | { from: string; to: string };
export type PeriodMode = 'month' | 'quarter' | 'half' | 'year' | 'custom';

/** Which kind of period a value is. */
export function modeOf(v: PeriodValue): PeriodMode {
  if (!('period' in v)) return 'custom';
  if (/^\d{4}-Q[1-4]$/.test(v.period)) return 'quarter';
  if (/^\d{4}-H[12]$/.test(v.period)) return 'half';
  if (/^\d{4}$/.test(v.period)) return 'year';
  return 'month';
}

/** The first day of a period value (to carry the date over when the period type changes). */
function startOf(v: PeriodValue): Dayjs {
  if (!('period' in v)) return dayjs(v.from);
  const p = v.period;
  const y = Number(p.slice(0, 4));
  const q = /-Q([1-4])$/.exec(p);
  if (q) return dayjs(new Date(y, (Number(q[1]) - 1) * 3, 1));
  const h = /-H([12])$/.exec(p);
  if (h) return dayjs(new Date(y, h[1] === '1' ? 0 : 6, 1));
  if (/^\d{4}$/.test(p)) return dayjs(new Date(y, 0, 1));
  return dayjs(`${p}-01`);
}

/** The value of a period type that holds a day. */
function valueAt(mode: PeriodMode, d: Dayjs): PeriodValue {
  switch (mode) {
    case 'month':
      return { period: d.format('YYYY-MM') };
    case 'quarter':
      return { period: `${d.year()}-Q${Math.floor(d.month() / 3) + 1}` };
    case 'half':
      return { period: `${d.year()}-H${d.month() < 6 ? 1 : 2}` };
    case 'year':
      return { period: String(d.year()) };
    case 'custom':
      return { from: d.startOf('month').format('YYYY-MM-DD'), to: d.endOf('month').format('YYYY-MM-DD') };
  }
}

/** The current month in Shanghai, where figures are counted (not the UTC month, a day behind on the 1st morning). */
export function currentMonth(): PeriodValue {
  return { period: dayjs().tz(ZONE).format('YYYY-MM') };
}

/** The period in a page's query string (period=… or from=…&to=…), else the fallback. */
export function periodFromSearch(search: URLSearchParams, fallback: PeriodValue = currentMonth()): PeriodValue {
  const from = search.get('from');
  const to = search.get('to');
  if (from && to) return { from, to };
  const period = search.get('period');
  return period ? { period } : fallback;
}

/** Writes a period into a query string, replacing the one there. */
export function withPeriod(search: URLSearchParams, v: PeriodValue): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const k of ['period', 'from', 'to']) next.delete(k);
  if ('period' in v) next.set('period', v.period);
  else {
    next.set('from', v.from);
    next.set('to', v.to);
  }
  return next;
}

/**
 * Picks a statistics period without typing: the type (month, quarter, half-year, year, custom range), then the
 * period from a calendar. Only periods that exist can be chosen.
 */
export function PeriodPicker({ value, onChange }: { value: PeriodValue; onChange: (v: PeriodValue) => void }) {
  const { t } = useTranslation();
  const mode = modeOf(value);
  const start = startOf(value);
  const common = { allowClear: false, style: { width: 160 } } as const;
  let picker: React.ReactNode;
  if (mode === 'custom') {
    const v = value as { from: string; to: string };
    picker = (
      <DatePicker.RangePicker
        allowClear={false}
        value={[dayjs(v.from), dayjs(v.to)]}
        onChange={(r) => {
          if (r?.[0] && r[1]) onChange({ from: r[0].format('YYYY-MM-DD'), to: r[1].format('YYYY-MM-DD') });
        }}
        aria-label={t('period.pickRange')}
        data-testid="period-range"
      />
    );
  } else if (mode === 'half') {
    const half = (value as { period: string }).period.endsWith('H1') ? 'H1' : 'H2';
    picker = (
      <>
        <DatePicker
          {...common}
          style={{ width: 110 }}
          picker="year"
          value={start}
          onChange={(d) => d && onChange({ period: `${d.year()}-${half}` })}
          aria-label={t('period.pickYear')}
          data-testid="period-year"
        />
        <Select
          value={half}
          style={{ width: 110 }}
          onChange={(h) => onChange({ period: `${start.year()}-${h}` })}
          options={[
            { value: 'H1', label: t('period.h1') },
            { value: 'H2', label: t('period.h2') },
          ]}
          aria-label={t('period.pickHalf')}
          data-testid="period-half"
        />
      </>
    );
  } else {
    const label = mode === 'month' ? t('period.pickMonth') : mode === 'quarter' ? t('period.pickQuarter') : t('period.pickYear');
    picker = (
      <DatePicker
        {...common}
        picker={mode}
        value={start}
        onChange={(d) => d && onChange(valueAt(mode, d))}
        aria-label={label}
        data-testid={`period-${mode}`}
      />
    );
  }
  return (
    <Space.Compact data-testid="period-picker" data-value={'period' in value ? value.period : `${value.from}~${value.to}`}>
      <Select<PeriodMode>
        value={mode}
        style={{ width: 100 }}
        onChange={(m) => onChange(valueAt(m, start))}
        options={(['month', 'quarter', 'half', 'year', 'custom'] as const).map((m) => ({ value: m, label: t(`period.${m}`) }))}
        aria-label={t('period.mode')}
        data-testid="period-mode"
      />
      {picker}
    </Space.Compact>
  );
}
