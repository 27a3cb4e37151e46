import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The friendly 404: an unknown page, or an order the user may not see (the API answers 404 for both). */
export default function NotFoundPage({ ticket = false }: { ticket?: boolean }) {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      data-testid="not-found"
      title={ticket ? t('notFound.ticketTitle') : t('notFound.title')}
      subTitle={ticket ? t('notFound.ticketText') : t('notFound.text')}
      extra={
        <Link to="/">
          <Button type="primary">{t('notFound.home')}</Button>
        </Link>
      }
    />
  );
}
