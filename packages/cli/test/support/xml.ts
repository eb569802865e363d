/** An XML element as the tests read it: name, attributes, child elements and text, entities decoded. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(value: string, at: number): string {
  return value.replace(/&([^;]*);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    const plain = ENTITIES[entity];
    if (plain === undefined) throw new Error(`unknown entity ${whole} near offset ${at}`);
    return plain;
  });
}

/**
 * A strict parser for the XML subset our reports use (a declaration, elements, attributes, text,
 * character references; no DTD, comments or CDATA). It throws where a real parser would reject the
 * document: unbalanced tags, a bare `<` or `&`, unquoted or repeated attributes, two roots.
 * (fast-xml-parser is core's dev dependency, not resolvable from this package.)
 */
export function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let match: RegExpExecArray | null;
  token.lastIndex = 0;
  while (token.lastIndex < body.length) {
    const at = token.lastIndex;
    match = token.exec(body);
    if (!match) throw new Error(`not well-formed near offset ${at}: ${body.slice(at, at + 40)}`);
    const [, closing, name, attributeText, selfClosing, text] = match;
    if (text !== undefined) {
      if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text))
        throw new Error(`bare & near offset ${at}`);
      const parent = stack[stack.length - 1];
      if (parent) parent.text += decode(text, at);
      else if (text.trim() !== '') throw new Error(`text outside the root element near offset ${at}`);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name)
        throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}> at offset ${at}`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key = '', value = ''] of (attributeText ?? '').matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (key in attributes) throw new Error(`attribute ${key} repeated at offset ${at}`);
      attributes[key] = decode(value, at);
    }
    const element: XmlElement = { name: name ?? '', attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) throw new Error(`a second root element <${name}> at offset ${at}`);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]?.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element named `name` below `element`, depth first. */
export function elementsNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [
    ...(child.name === name ? [child] : []),
    ...elementsNamed(child, name),
  ]);
}
