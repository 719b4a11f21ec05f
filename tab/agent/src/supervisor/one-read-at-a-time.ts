// A view that reads again on every change must not start a read while one is still under way: a
// large board on a busy server can take longer to read than its refresh gate waits, and reads
// started meanwhile pile up on the server and land out of order. Changes during a read are not
// lost: they are answered by one more read once it is done.

/** Wraps `read`: a call while a read is under way asks for one more after it, however many calls. */
export function oneReadAtATime(read: () => Promise<unknown>): () => void {
  let reading = false;
  let again = false;
  const run = (): void => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    read()
      .catch(() => undefined) // The read reports its own failures; a failed one still ends.
      .finally(() => {
        reading = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return run;
}
