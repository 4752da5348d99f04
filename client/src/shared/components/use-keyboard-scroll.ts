import { useEffect, useRef } from 'react';

/**
 * A box whose content may be wider than a phone scrolls inside itself; while it does, it takes
 * keyboard focus so it can be scrolled without a mouse (WCAG 2.1.1), and gives it up again when
 * everything fits, so desktop users meet no extra tab stops.
 */
export function useKeyboardScroll<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const update = () => {
      if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
      else box.removeAttribute('tabindex');
    };
    const resized = new ResizeObserver(update);
    resized.observe(box);
    const changed = new MutationObserver(update);
    changed.observe(box, { childList: true, subtree: true });
    update();
    return () => {
      resized.disconnect();
      changed.disconnect();
    };
  }, []);
  return ref;
}
