import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { findByNumber } from '../api/tickets.ts';

/** Picks another order by its full number (e.g. the order a duplicate is merged into); the value is the order id. */
export function OrderPicker({ value, onChange, id }: { value?: number; onChange?: (v: number | undefined) => void; id?: string }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<Array<{ value: number; label: string }>>([]);
  const [loading, setLoading] = useState(false);
  const search = async (term: string) => {
    const number = term.trim().toUpperCase();
    if (number.length < 10) return;
    setLoading(true);
    try {
      const page = await findByNumber(number);
      setOptions(page.items.map((o) => ({ value: o.id, label: `${o.number} ${o.subject}` })));
    } finally {
      setLoading(false);
    }
  };
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: (v) => void search(v) }}
      loading={loading}
      options={options}
      placeholder={t('orderPicker.placeholder')}
      notFoundContent={null}
      allowClear
    />
  );
}
