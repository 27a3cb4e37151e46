import { FileOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Image, List, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE } from '../api/client.ts';
import { uploadAttachment } from '../api/tickets.ts';
import type { Attachment } from '../api/types.ts';
import { errorText } from '../lib/errors.ts';
import { fmtTime } from '../lib/time.ts';

function size(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** Attachments of the order: image previews, downloads, and upload (multipart field `file`). */
export function Attachments({
  ticketId,
  items,
  canUpload,
  onUploaded,
}: {
  ticketId: number;
  items: Attachment[];
  canUpload: boolean;
  onUploaded: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const images = items.filter((a) => a.mime.startsWith('image/'));
  const others = items.filter((a) => !a.mime.startsWith('image/'));
  return (
    <div data-testid="attachments">
      {images.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap style={{ marginBottom: 8 }}>
            {images.map((a) => (
              <Image
                key={a.id}
                width={96}
                height={96}
                style={{ objectFit: 'cover' }}
                src={`${API_BASE}/attachments/${a.id}`}
                alt={a.name}
              />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {others.length > 0 && (
        <List
          size="small"
          dataSource={others}
          renderItem={(a) => (
            <List.Item>
              <a href={`${API_BASE}/attachments/${a.id}`} target="_blank" rel="noreferrer">
                <FileOutlined /> {a.name}
              </a>
              <Typography.Text type="secondary">
                {size(a.size)} · {fmtTime(a.createdAt)}
              </Typography.Text>
            </List.Item>
          )}
        />
      )}
      {canUpload && (
        <Upload
          showUploadList={false}
          customRequest={async ({ file }) => {
            setBusy(true);
            try {
              const r = await uploadAttachment(ticketId, file as File);
              message.success(t('detail.uploaded', { name: r.attachment.name }));
              onUploaded();
            } catch (e) {
              message.error(errorText(e, t));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy} data-testid="upload">
            {t('detail.upload')}
          </Button>
          <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
            {t('detail.uploadHint')}
          </Typography.Text>
        </Upload>
      )}
    </div>
  );
}
