import { MASK, type MaskResult, type SecretMasker } from './mask.js';
import { opensPrivateKey, privateKeyEnd } from './private-key.js';

/**
 * Masks a stream a line at a time (a check's output, shown as it comes). A private key spans lines:
 * after a line that opens one, every line is masked whole until the one with its END marker.
 */
export class LineMasker {
  private insideKey = false;

  constructor(private readonly masker: SecretMasker) {}

  line(text: string): MaskResult {
    if (this.insideKey) {
      const end = privateKeyEnd(text);
      // The block was counted on the line that opened it.
      if (end < 0) return { text: MASK, count: 0, found: text.trim() === '' ? [] : [text] };
      this.insideKey = false;
      const rest = this.masker(text.slice(end));
      return { text: `${MASK}${rest.text}`, count: rest.count, found: [text.slice(0, end), ...rest.found] };
    }
    this.insideKey = opensPrivateKey(text);
    return this.masker(text);
  }
}
