// The few DOM helpers the panels share.

/** The element with this id, of the expected kind; a page without it is a bug in index.html. */
export function byId<T extends HTMLElement | SVGElement>(id: string, kind: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof kind)) throw new Error(`[twinembed:demo] index.html: expected #${id} to be a ${kind.name}, got ${el ? el.constructor.name : 'nothing'}`);
  return el;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.textContent = text;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  return el;
}

/** Runs an action from a button: disabled while it runs, its error shown in `status` (never swallowed). */
export function onAction(button: HTMLButtonElement, status: HTMLElement, action: () => Promise<void>): void {
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.classList.remove('error');
    try {
      await action();
    } catch (error) {
      status.textContent = (error as Error).message;
      status.classList.add('error');
      console.error(error);
    } finally {
      button.disabled = false;
    }
  });
}

export const format = (x: number, digits = 3) => x.toFixed(digits);
