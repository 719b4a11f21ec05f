/** Runs async tasks one after another (the event log numbers its appends in order through one). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // Keep the chain alive whatever the task's outcome; the caller sees the real result.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once every task queued so far has finished. */
  drain(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
