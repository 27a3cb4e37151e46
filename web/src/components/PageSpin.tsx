import { Spin } from 'antd';

/** The placeholder while a page's code or data loads. */
export function PageSpin() {
  return (
    <div style={{ padding: 80, textAlign: 'center' }}>
      <Spin size="large" />
    </div>
  );
}
