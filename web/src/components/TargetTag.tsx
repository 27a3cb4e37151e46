import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** Whether a KPI meets its target: 达标 / 未达标, or 未设目标 when none is set. */
export function TargetTag({ met }: { met: boolean | null }) {
  const { t } = useTranslation();
  if (met === null) return <Tag>{t('kpi.noTarget')}</Tag>;
  return met ? <Tag color="green">{t('kpi.met')}</Tag> : <Tag color="red">{t('kpi.notMet')}</Tag>;
}
