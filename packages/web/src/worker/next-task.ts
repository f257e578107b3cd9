// Waits for the next task of the event loop, so that messages queued meanwhile (a cancel from the
// page) are handled: onnxruntime-web's runs can resolve without ever leaving the current task.
// A MessageChannel round trip, not setTimeout, which browsers clamp to 4 ms when nested.

export function nextTask(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
