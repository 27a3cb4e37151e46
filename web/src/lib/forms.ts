import type { FormInstance } from 'antd';

/** The form's values when they pass validation, otherwise null (the form itself shows what is wrong). */
export async function validated<T>(form: FormInstance<T>): Promise<T | null> {
  try {
    return await form.validateFields();
  } catch {
    return null;
  }
}
