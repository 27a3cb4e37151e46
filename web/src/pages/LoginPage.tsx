import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useLogin, useMe } from '../api/auth.ts';
import { isApiError } from '../api/client.ts';
import { setLang } from '../i18n/index.ts';
import { errorText } from '../lib/errors.ts';

/** Only same-site paths are followed after login (no open redirect). */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const login = useLogin();
  const next = safeNext(params.get('next'));
  if (me.data) return <Navigate to={next} replace />;

  const error = login.error
    ? isApiError(login.error, 'account_locked')
      ? t('login.locked')
      : isApiError(login.error, 'invalid_credentials') || isApiError(login.error, 'validation_failed')
        ? t('login.failed')
        : isApiError(login.error, 'network_error')
          ? t('common.networkError')
          : errorText(login.error, t)
    : null;

  return (
    <div className="gv-login">
      <Card style={{ width: 380, boxShadow: '0 8px 32px rgba(0,0,0,0.25)' }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <svg width="48" height="48" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="#00706b" />
            <path d="M18 4 8 18h7l-2 10 11-15h-7z" fill="#fff" />
          </svg>
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            GridVoice
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        <h1 style={{ position: 'absolute', left: -9999 }}>{t('login.title')}</h1>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { username: string; password: string }) => login.mutate(v, { onSuccess: () => navigate(next, { replace: true }) })}
        >
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('common.required', { label: t('login.username') }) }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" data-testid="login-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('common.required', { label: t('login.password') }) }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <div style={{ marginTop: 16, display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('login.footer')}
          </Typography.Text>
          <Button
            size="small"
            type="link"
            onClick={() => void setLang(i18n.language.startsWith('en') ? 'zh-CN' : 'en')}
            data-testid="lang-switch"
          >
            {t('nav.switchLang')}
          </Button>
        </div>
      </Card>
    </div>
  );
}
