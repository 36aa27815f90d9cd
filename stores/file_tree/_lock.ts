// This module is browser compatible.
// An in-process lock by name: tasks with the same name run one after another.
// FileTreeStore's putIfAbsent uses it per file, and the OPFS directory uses it
// when the runtime has no Web Locks.

/**
 * Runs `task` once every earlier task queued under `name` in `queues` has
 * settled, and forgets the name when its queue is empty.
 *
 * @param queues The queues, by name (one map per lock scope).
 * @param name The lock's name.
 * @param task The task.
 * @returns What `task` returns.
 */
export function inTurn<T>(
  queues: Map<string, Promise<unknown>>,
  name: string,
  task: () => Promise<T>,
): Promise<T> {
  const previous = queues.get(name) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.then(() => {}, () => {});
  queues.set(name, settled);
  void settled.then(() => {
    if (queues.get(name) === settled) queues.delete(name);
  });
  return next;
}
