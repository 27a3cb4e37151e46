import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PASSWORD_POLICY } from '../../../core/password-policy.ts';
import { useChangePassword, useLogout } from '../api/auth.ts';
import { isApiError } from '../api/client.ts';
import { errorText } from '../lib/errors.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Asked for before anything else when an administrator set the user's password. */
export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const logout = useLogout();
  const min = PASSWORD_POLICY.minLength;
  const error = change.error
    ? isApiError(change.error, 'weak_password')
      ? t('changePassword.weak', { min })
      : isApiError(change.error, 'validation_failed')
        ? t('changePassword.wrongCurrent')
        : errorText(change.error, t)
    : null;
  return (
    <div className="gv-login">
      <Card style={{ width: 420, boxShadow: '0 8px 32px rgba(0,0,0,0.25)' }}>
        <Typography.Title level={3}>{t('changePassword.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('changePassword.intro')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: Values) => change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword })}
        >
          <Form.Item
            name="currentPassword"
            label={t('changePassword.current')}
            rules={[{ required: true, message: t('common.required', { label: t('changePassword.current') }) }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="password-current" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('changePassword.next')}
            extra={t('changePassword.rule', { min })}
            rules={[
              { required: true, message: t('common.required', { label: t('changePassword.next') }) },
              { min, message: t('changePassword.weak', { min }) },
            ]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="password-new" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('changePassword.confirm')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('common.required', { label: t('changePassword.confirm') }) },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('changePassword.mismatch'))),
              }),
            ]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="password-confirm" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={change.isPending} data-testid="password-submit">
            {t('changePassword.submit')}
          </Button>
          <Button type="link" block onClick={() => logout.mutate()} style={{ marginTop: 8 }}>
            {t('changePassword.logout')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
