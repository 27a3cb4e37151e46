import { Form, type FormInstance, Modal } from 'antd';
import type { ReactNode } from 'react';

/**
 * The admin pages' create/edit dialog: a vertical form in a modal that forgets its values when it closes
 * (so the next record starts from its own initial values).
 */
export function FormModal<T>(props: {
  open: boolean;
  title: ReactNode;
  onOk: () => void;
  onCancel: () => void;
  loading: boolean;
  form: FormInstance<T>;
  name: string;
  initialValues: Partial<T> | Record<string, unknown>;
  children: ReactNode;
}) {
  return (
    <Modal open={props.open} title={props.title} onOk={props.onOk} onCancel={props.onCancel} destroyOnHidden confirmLoading={props.loading}>
      <Form form={props.form} layout="vertical" preserve={false} name={props.name} initialValues={props.initialValues}>
        {props.children}
      </Form>
    </Modal>
  );
}
