declare const nameTableBrand: unique symbol;

/**
 * A table keyed by names a client chose (applications, functions, clusters, alarms, ...): a
 * null-prototype object, so `__proto__`, `constructor`, `toString` are ordinary names there — absent
 * until set, never inherited from `Object.prototype`, and setting `__proto__` stores a record instead
 * of swapping the table's prototype. The brand makes the compiler refuse a plain `{}` (or an
 * `Object.fromEntries`) where a table belongs: make tables with {@link nameTable}.
 *
 * Spreads and `structuredClone` give back ordinary objects: copy a table with {@link nameTable}.
 */
export type NameTable<T> = { [name: string]: T } & { readonly [nameTableBrand]: true };

/** A new table, filled from `entries` (a later entry wins over an earlier one of the same name). */
export function nameTable<T>(entries: Iterable<readonly [string, T]> = []): NameTable<T> {
  const table = Object.create(null) as NameTable<T>;
  // Plain assignment is safe here: a null-prototype object has no `__proto__` setter to hit.
  for (const [name, value] of entries) table[name] = value;
  return table;
}

/**
 * A table rebuilt from parsed JSON (the state file): the object's own enumerable entries, each value
 * passed through `revive` (for tables nested in the records). Anything but a plain object is an
 * empty table, so a hand-edited file cannot smuggle in an array or a string.
 */
export function nameTableFrom<T>(
  value: unknown,
  revive: (record: unknown) => T = (record) => record as T,
): NameTable<T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return nameTable<T>();
  return nameTable(Object.entries(value).map(([name, record]) => [name, revive(record)] as const));
}

/** The named entry, only when the table holds it itself (never one of Object.prototype's members). */
export function entryOf<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
