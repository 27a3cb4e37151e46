import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { dayjs } from './lib/time.ts';

/** The brand colour (a State Grid teal); white text on it has a contrast ratio above 5.5:1. */
export const BRAND = '#00706b';

/** Ant Design with the locale of the current UI language, the brand theme and the App context (message, modal). */
export function Providers({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  useEffect(() => {
    dayjs.locale(en ? 'en' : 'zh-cn');
  }, [en]);
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      theme={{
        token: {
          colorPrimary: BRAND,
          colorLink: '#005f5b',
          // Secondary texts (hints, counts, table sorters) at a contrast of at least 4.5:1 on white and on #fafafa.
          colorTextDescription: 'rgba(0, 0, 0, 0.62)',
          colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
          colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
          // Danger buttons and error texts in a red that reads at 4.5:1 on white (antd's #ff4d4f is 3.3:1).
          colorError: '#cf1322',
          borderRadius: 4,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
        },
        components: {
          Layout: { siderBg: '#0b2a3c', headerBg: '#ffffff', headerHeight: 56, headerPadding: '0 20px' },
          Menu: { darkItemBg: '#0b2a3c', darkSubMenuItemBg: '#08202e', darkItemSelectedBg: BRAND },
        },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
