/* The checks every kiosk screen must pass, measured in the page itself (see conftest.py). */
() => {
  const visible = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  // What the docked keyboard covers can't be touched while it is open: not measured then.
  const dock = document.querySelector('.keyboard-dock:not([hidden]):not(.always)');
  const underDock = el => {
    if (!dock || dock.contains(el)) return false;
    const r = el.getBoundingClientRect(), d = dock.getBoundingClientRect();
    return r.bottom > d.top && r.top < d.bottom;
  };
  // In a list that scrolls inside its own box, what is scrolled out of it can't be touched.
  const scrolledAway = el => {
    const r = el.getBoundingClientRect();
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (!/(auto|scroll|hidden)/.test(getComputedStyle(box).overflowY)) continue;
      const b = box.getBoundingClientRect();
      if (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5) return true;
    }
    return false;
  };
  const describe = el => `${el.tagName}.${el.className} «${el.textContent.trim().slice(0, 20)}»`;
  const targets = [...document.querySelectorAll(
      'a[href], button, .chip span, .hg-button, textarea, input[type=text]')]
    .filter(visible).filter(el => !el.closest('[hidden]')).filter(el => !underDock(el))
    .filter(el => !scrolledAway(el));
  const rects = targets.map(el => [el, el.getBoundingClientRect()]);
  const small = rects.filter(([el, r]) => r.width < 63.5 || r.height < 63.5)
    .map(([el, r]) => `${describe(el)} ${Math.round(r.width)}x${Math.round(r.height)}`);
  const close = [];
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const [a, ra] = rects[i], [b, rb] = rects[j];
      if (a.contains(b) || b.contains(a)) continue;
      const dx = Math.max(0, Math.max(ra.left, rb.left) - Math.min(ra.right, rb.right));
      const dy = Math.max(0, Math.max(ra.top, rb.top) - Math.min(ra.bottom, rb.bottom));
      if (Math.max(dx, dy) < 15.5) close.push(`${describe(a)} | ${describe(b)}`);
    }
  }
  const texts = [...document.querySelectorAll('body *')].filter(visible).filter(el =>
    [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  const tiny = texts.filter(el => parseFloat(getComputedStyle(el).fontSize) < 21.5)
    .map(el => `${describe(el)} ${getComputedStyle(el).fontSize}`);
  const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const poor = texts.map(el => {
    const s = getComputedStyle(el);
    const a = luminance(rgb(s.color)), b = luminance(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(s.fontSize);
    const large = (size >= 24 && parseInt(s.fontWeight, 10) >= 700) || size >= 32;
    return [el, ratio, large ? 3 : 4.5];
  }).filter(([el, ratio, need]) => ratio < need)
    .map(([el, ratio]) => `${describe(el)} ${ratio.toFixed(2)}`);
  // The screen fits its viewport: nothing to scroll, in the page or in <main>, and each main
  // action ([data-primary]) lies whole inside the viewport, on top (not under a keyboard or
  // clipped by a list's box).
  const main = document.querySelector('main');
  const keyboardOpen = document.body.classList.contains('keyboard-open');
  const tallerBy = Math.max(document.documentElement.scrollHeight - window.innerHeight,
    main && !keyboardOpen ? main.scrollHeight - main.clientHeight : 0);
  const primaries = [...document.querySelectorAll('[data-primary]')].filter(visible)
    .filter(el => !el.closest('[hidden]'));
  const outOfReach = primaries.filter(el => {
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5) return true;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !hit || !(el === hit || el.contains(hit));
  }).map(el => `${describe(el)} ${JSON.stringify(el.getBoundingClientRect())}`);
  // A field the browser itself would check speaks the browser's language: none may have one.
  const nativeMessages = [...document.querySelectorAll('input, textarea, select')]
    .map(f => f.validationMessage).filter(Boolean);
  return {
    nativeMessages: nativeMessages,
    tallerBy: tallerBy, primaries: primaries.length, outOfReach: outOfReach,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    small: small, close: close, tiny: tiny, poor: poor,
    bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
    userSelect: getComputedStyle(document.body).userSelect,
    touchAction: getComputedStyle(document.body).touchAction,
  };
}
