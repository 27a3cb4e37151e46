import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../../errors.ts';

/** Chinese messages for the stable codes, used when a deeper layer answered in English. */
const ZH: Partial<Record<ErrorCode, string>> = {
  validation_failed: '填写的内容有误，请检查后重新提交',
  invalid_json: '提交的内容格式不正确，请刷新页面后重试',
  unauthenticated: '请先输入工单号和查询码（或回执码）',
  forbidden: '没有权限进行此操作',
  csrf_rejected: '请求来源不正确，请在本网站页面上操作',
  not_found: '没有找到相关内容',
  conflict: '操作冲突，请刷新后重试',
  ticket_changed: '工单状态刚刚发生变化，请刷新后重试',
  transition_not_allowed: '工单当前状态不能进行此操作',
  idempotency_conflict: '重复提交的内容与首次不一致，请刷新页面后重新填写',
  payload_too_large: '上传内容过大：最多5张照片，每张不超过5MB',
  unsupported_media_type: '只能上传照片（JPG、PNG、GIF、WEBP、HEIC 格式）',
  rate_limited: '提交过于频繁，请稍后再试',
  internal_error: '系统繁忙，请稍后再试；如需急办请拨打95598',
  unavailable: '服务暂时不可用，请稍后再试或拨打95598',
};

const FIELD_ZH: Record<string, string> = {
  number: '工单号',
  queryCode: '查询码',
  receipt: '回执码',
  outcome: '评价',
  comment: '评价意见',
  text: '答复内容',
  description: '情况描述',
  phone: '联系电话',
};

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
};

function send(reply: FastifyReply, code: ErrorCode, status: number, message: string, details: Record<string, unknown> = {}) {
  return reply.status(status).send({ error: { code, message, details } });
}

/** The portal's error handler: the same `{ error: { code, message, details } }`, with the message in Chinese. */
export function portalErrorHandler(err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    const message = /[\u4e00-\u9fff]/.test(err.message) ? err.message : (ZH[err.code] ?? '请求未能完成，请稍后再试');
    return send(reply, err.code, err.status, message, err.details ?? {});
  }
  if (err.validation) {
    const v = err.validation[0] as { instancePath?: string; params?: { missingProperty?: string } } | undefined;
    const field = [(v?.instancePath ?? '').replace(/^\//, ''), v?.params?.missingProperty].filter(Boolean).join('.') || 'body';
    return send(reply, 'validation_failed', 400, `请检查填写内容：${FIELD_ZH[field] ?? field}`, { field });
  }
  const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (mapped)
    return send(reply, mapped, mapped === 'invalid_json' ? 400 : mapped === 'unsupported_media_type' ? 415 : 413, ZH[mapped] as string);
  if (err.statusCode === 429) return send(reply, 'rate_limited', 429, ZH.rate_limited as string);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return send(reply, 'validation_failed', err.statusCode, ZH.validation_failed as string);
  req.log.error({ err, reqId: req.id }, 'unhandled portal error');
  return send(reply, 'internal_error', 500, ZH.internal_error as string, { requestId: req.id });
}
