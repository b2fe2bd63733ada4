/** Assertion helpers shared by the test levels. */
/** An assert.rejects/throws validator: an NP error with this code (and a message matching `message`). */
export function npError(code: string, message?: RegExp): (error: unknown) => boolean {
  return (error: unknown): boolean => {
    const { code: actual, message: text } = error as { code?: string; message?: string };
    if (actual !== code || (message && !message.test(text ?? ''))) {
      throw new Error(`expected ${code}${message ? ` matching ${message}` : ''}, got ${actual}: ${text}`);
    }
    return true;
  };
}
