/* GridVoice customer portal: vanilla JS, no dependencies, same-origin API under /api/public/portal. */
(() => {
  const API = '/api/public/portal';
  let meta = null;
  let kind = 'complaint';
  let rating = null;
  let lastReceipt = null;
  const $ = (id) => document.getElementById(id);

  function fmt(iso) {
    try {
      return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    } catch (_e) {
      return iso;
    }
  }
  function alertMsg(text, ok) {
    const a = $('alert');
    a.textContent = text || '';
    a.className = ok ? 'alert ok' : 'alert';
    a.hidden = !text;
    if (text) window.scrollTo(0, 0);
  }
  function call(method, path, body, headers) {
    const init = { method: method, credentials: 'same-origin', headers: headers || {} };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
    return fetch(API + path, init).then(
      (res) =>
        res
          .json()
          .catch(() => ({}))
          .then((data) => {
            if (!res.ok) {
              const e = new Error(data?.error?.message || '网络异常，请稍后再试');
              e.status = res.status;
              throw e;
            }
            return data;
          }),
      () => {
        const e = new Error('网络连接失败，请检查网络后重试');
        e.network = true;
        throw e;
      },
    );
  }
  function el(tag, text, cls) {
    const n = document.createElement(tag);
    if (text) n.textContent = text;
    if (cls) n.className = cls;
    return n;
  }

  function show(view) {
    ['submit', 'done', 'track'].forEach((v) => {
      $(`view-${v}`).hidden = v !== view;
    });
    document.querySelectorAll('.bar a').forEach((a) => {
      a.className = a.getAttribute('href') === `#${view}` ? 'on' : '';
    });
  }
  function route() {
    const h = location.hash.replace('#', '') || 'submit';
    alertMsg('');
    if (h === 'track') {
      show('track');
      loadProgress();
    } else if (h === 'done') {
      show('done');
    } else {
      show('submit');
    }
  }

  function setKind(code) {
    kind = code;
    const k = meta.kinds.filter((x) => x.code === code)[0];
    document.querySelectorAll('#kinds button').forEach((b) => {
      b.setAttribute('aria-pressed', String(b.dataset.kind === code));
    });
    $('kind-hint').textContent = k ? k.hint : '';
    const sel = $('classCode');
    sel.innerHTML = '<option value="">请选择（可不选）</option>';
    (k ? k.classes : []).forEach((c) => {
      const o = el('option', c.label);
      o.value = c.code;
      sel.appendChild(o);
    });
    $('anon-row').hidden = code !== 'report';
    if (code !== 'report') $('anonymous').checked = false;
    toggleIdentity();
  }
  function toggleIdentity() {
    const anon = kind === 'report' && $('anonymous').checked;
    $('identity').hidden = anon;
    $('phone-req').hidden = kind !== 'complaint';
    $('account-row').hidden = kind === 'report';
  }

  function idemKey() {
    let k = sessionStorage.getItem('gv-idem');
    if (!k) {
      k = `${crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)}-portal`;
      sessionStorage.setItem('gv-idem', k);
    }
    return k;
  }

  function submit(ev) {
    ev.preventDefault();
    const f = ev.target;
    const fd = new FormData(f);
    fd.set('kind', kind);
    fd.set('channel', window.matchMedia('(max-width: 768px)').matches ? 'mobile' : 'web');
    fd.set('anonymous', String(kind === 'report' && $('anonymous').checked));
    if (fd.get('anonymous') === 'true')
      ['name', 'phone', 'account'].forEach((n) => {
        fd.delete(n);
      });
    const photos = fd.getAll('photos').filter((p) => p && p.size > 0);
    fd.delete('photos');
    if (photos.length > meta.limits.maxPhotos) return alertMsg(`最多上传${meta.limits.maxPhotos}张照片`);
    if (String(fd.get('description') || '').trim().length < meta.limits.descriptionMin)
      return alertMsg(`请把情况说清楚，至少${meta.limits.descriptionMin}个字`);
    if (kind === 'complaint' && !String(fd.get('phone') || '').trim()) return alertMsg('投诉需要留下联系电话，方便我们联系您');
    photos.forEach((p) => {
      fd.append('photos', p, p.name);
    });
    const btn = f.querySelector('button[type=submit]');
    btn.disabled = true;
    btn.textContent = '正在提交…';
    const key = idemKey();
    const attempt = (n) =>
      call('POST', '/submissions', fd, { 'Idempotency-Key': key }).catch((e) => {
        // A dropped connection may have filed the order: the same key returns it instead of filing twice.
        if (e.network && n < 2)
          return new Promise((r) => {
            setTimeout(r, 1500);
          }).then(() => attempt(n + 1));
        throw e;
      });
    attempt(0)
      .then((r) => {
        sessionStorage.removeItem('gv-idem');
        f.reset();
        setKind(kind);
        $('done-kind').textContent = r.kindLabel;
        $('done-number').textContent = r.number;
        if (r.receiptCode) {
          $('done-code-label').textContent = '回执码';
          $('done-code').textContent = r.receiptCode;
          $('done-note').textContent =
            '回执码只显示这一次，系统不保存原文，丢失后无法找回。请立即复制或抄写，并妥善保管。下载的签名回执可证明提交时间和内容，但不含回执码。';
          lastReceipt = r.receipt;
          $('download-receipt').hidden = false;
        } else {
          $('done-code-label').textContent = '查询码';
          $('done-code').textContent = r.queryCode;
          $('done-note').textContent =
            `请保存工单号和查询码，凭它们查询进度和评价。${fd.get('phone') ? '我们也已将它们以短信发送给您。' : ''}`;
          lastReceipt = null;
          $('download-receipt').hidden = true;
        }
        location.hash = 'done';
      })
      .catch((e) => {
        alertMsg(e.message);
      })
      .then(() => {
        btn.disabled = false;
        btn.textContent = '提交';
      });
  }

  function copy(id) {
    const text = $(id).textContent;
    const done = () => {
      alertMsg(`已复制：${text}`, true);
    };
    if (navigator.clipboard && window.isSecureContext)
      navigator.clipboard.writeText(text).then(done, () => {
        selectText(id);
      });
    else selectText(id);
  }
  function selectText(id) {
    const r = document.createRange();
    r.selectNodeContents($(id));
    const s = window.getSelection();
    s.removeAllRanges();
    s.addRange(r);
    alertMsg('请长按已选中的文字进行复制', true);
  }
  function download() {
    if (!lastReceipt) return;
    const blob = new Blob([JSON.stringify(lastReceipt, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `receipt-${lastReceipt.number}.json`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function renderProgress(p) {
    $('login-form').hidden = true;
    $('progress').hidden = false;
    $('p-number').textContent = p.number;
    $('p-status').textContent = p.statusText;
    $('p-meta').textContent = `${p.kindLabel + (p.classLabel ? ` · ${p.classLabel}` : '')} · 提交于 ${fmt(p.filedAt)}`;
    $('p-reply').hidden = !p.reply;
    if (p.reply) $('p-reply-text').textContent = p.reply.text;
    $('rate-form').hidden = !p.canRate;
    $('p-rating').hidden = !p.rating;
    if (p.rating) $('p-rating').textContent = `您的评价：${p.rating.label}`;
    $('evidence-form').hidden = !p.open;
    const qs = $('p-questions');
    qs.innerHTML = '';
    p.questions.forEach((q) => {
      const c = el('div', null, 'card');
      c.appendChild(el('h3', `中心提问（${fmt(q.at)}）`));
      c.appendChild(el('p', q.text));
      q.answers.forEach((a) => {
        c.appendChild(el('p', `您的答复：${a}`, 'hint'));
      });
      if (p.open) {
        const form = document.createElement('form');
        const ta = el('textarea');
        ta.name = 'text';
        ta.rows = 3;
        ta.maxLength = 2000;
        ta.setAttribute('data-testid', 'answer-text');
        const b = el('button', '提交答复');
        b.type = 'submit';
        form.appendChild(ta);
        form.appendChild(b);
        form.addEventListener('submit', (ev) => {
          ev.preventDefault();
          call('POST', '/me/answers', { text: ta.value, questionSeq: q.seq }).then(
            (np) => {
              alertMsg('答复已提交', true);
              renderProgress(np);
            },
            (e) => {
              alertMsg(e.message);
            },
          );
        });
        c.appendChild(form);
      }
      qs.appendChild(c);
    });
    const tl = $('p-timeline');
    tl.innerHTML = '';
    p.timeline.forEach((t) => {
      const li = el('li');
      li.appendChild(el('time', fmt(t.at)));
      li.appendChild(document.createTextNode(t.text));
      tl.appendChild(li);
    });
  }
  function loadProgress() {
    call('GET', '/me').then(renderProgress, () => {
      $('login-form').hidden = false;
      $('progress').hidden = true;
    });
  }
  function login(ev) {
    ev.preventDefault();
    const f = ev.target;
    // One code field: with a number it is the query code, without one the receipt code (the server decides).
    const body = { code: f.code.value.trim() };
    if (f.number.value.trim()) body.number = f.number.value.trim();
    call('POST', '/session', body).then(
      (r) => {
        f.reset();
        alertMsg('');
        renderProgress(r.progress);
      },
      (e) => {
        alertMsg(e.message);
      },
    );
  }
  function rate(ev) {
    ev.preventDefault();
    if (!rating) return alertMsg('请选择满意、基本满意或不满意');
    call('POST', '/me/rating', { outcome: rating, comment: ev.target.comment.value }).then(
      (p) => {
        alertMsg('感谢您的评价', true);
        renderProgress(p);
      },
      (e) => {
        alertMsg(e.message);
      },
    );
  }
  function evidence(ev) {
    ev.preventDefault();
    const fd = new FormData(ev.target);
    call('POST', '/me/evidence', fd).then(
      (r) => {
        ev.target.reset();
        alertMsg('照片已上传', true);
        renderProgress(r.progress);
      },
      (e) => {
        alertMsg(e.message);
      },
    );
  }

  function init() {
    call('GET', '/meta').then(
      (m) => {
        meta = m;
        $('company').textContent = `${m.company} · 投诉举报`;
        const box = $('kinds');
        m.kinds.forEach((k) => {
          const b = el('button', k.zh);
          b.type = 'button';
          b.dataset.kind = k.code;
          b.setAttribute('data-testid', `kind-${k.code}`);
          b.addEventListener('click', () => {
            setKind(k.code);
          });
          box.appendChild(b);
        });
        const rs = $('ratings');
        m.ratings.forEach((r) => {
          const b = el('button', r.zh);
          b.type = 'button';
          b.dataset.rating = r.code;
          b.setAttribute('data-testid', `rating-${r.code}`);
          b.addEventListener('click', () => {
            rating = r.code;
            rs.querySelectorAll('button').forEach((x) => {
              x.setAttribute('aria-pressed', String(x === b));
            });
          });
          rs.appendChild(b);
        });
        setKind('complaint');
        route();
      },
      (e) => {
        alertMsg(e.message);
      },
    );
    $('anonymous').addEventListener('change', toggleIdentity);
    $('submit-form').addEventListener('submit', submit);
    $('login-form').addEventListener('submit', login);
    $('rate-form').addEventListener('submit', rate);
    $('evidence-form').addEventListener('submit', evidence);
    $('download-receipt').addEventListener('click', download);
    $('logout').addEventListener('click', () => {
      call('DELETE', '/session').then(() => {
        $('progress').hidden = true;
        $('login-form').hidden = false;
      });
    });
    document.querySelectorAll('.copy').forEach((b) => {
      b.addEventListener('click', () => {
        copy(b.dataset.copy);
      });
    });
    window.addEventListener('hashchange', route);
  }
  document.addEventListener('DOMContentLoaded', init);
})();
