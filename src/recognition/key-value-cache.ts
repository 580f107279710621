/**
 * Where settled outcomes are kept. Shaped like the ecosystem's key-value caches (Hive Gateway's
 * and Apollo Server's `KeyValueCache`): asynchronous, with the time-to-live given per `set` in
 * seconds, so an implementation may live in this process or in a shared store.
 */
export interface KeyValueCache<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, options?: KeyValueCacheSetOptions): Promise<void>;
  delete(key: string): Promise<boolean>;
}

export interface KeyValueCacheSetOptions {
  /** Seconds until the entry is forgotten. Omitted: the implementation's default. */
  ttl?: number;
}
