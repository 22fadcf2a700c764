// The app's IndexedDB database and a promise wrapper around its requests. The factory is
// injectable so tests run on fake-indexeddb.

export const DB_NAME = "coagent";
const DB_VERSION = 1;

/** Recordings not yet safely on the server: metadata only, one row each. */
export const RECORDINGS = "recordings";
/** Their audio, one row per 100 ms frame (key [recording, seq]), so a frame is one small write
 * instead of rewriting a growing blob ten times a second. */
export const CHUNKS = "chunks";

export function openDb(factory: IDBFactory = indexedDB, name = DB_NAME): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(name, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(RECORDINGS)) db.createObjectStore(RECORDINGS, { keyPath: "id" });
      if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    // Another tab holds an older version open; it will close on `versionchange`.
    req.onblocked = () => {};
  });
}

export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Resolves when a read-write transaction has committed (not merely when its requests ran). */
export function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
  });
}
