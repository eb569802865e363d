/** Where a secret is in a text: [start, end), in UTF-16 code units as `String#slice` counts. */
export type Range = [start: number, end: number];
