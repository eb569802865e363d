import { declaration, type ServiceModel, type Shape, typeOf } from './models.js';
import {
  checkScalarText,
  child,
  isBoundElsewhere,
  listMember,
  type Position,
  structureFields,
  type Violation,
} from './shapes.js';

/** An XML element: its name, attributes, child elements and text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Parses the element-only XML S3 answers with (a declaration, elements, text, entities). Not a
 * general XML parser: enough to read what a server sends, and strict enough to fail on what is not
 * well-formed.
 */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const skipMisc = () => {
    for (;;) {
      const rest = source.slice(at);
      const space = /^\s+/.exec(rest);
      if (space) at += space[0].length;
      else if (rest.startsWith('<?')) at = source.indexOf('?>', at) + 2;
      else if (rest.startsWith('<!--')) at = source.indexOf('-->', at) + 3;
      else return;
      if (at < 2) throw new Error('unterminated XML declaration or comment');
    }
  };
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(
      source.slice(at),
    );
    if (!open?.[1]) throw new Error(`expected an element at offset ${at}`);
    at += open[0].length;
    const attributes: Record<string, string> = {};
    for (const [, name, value] of (open[2] ?? '').matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (name !== undefined) attributes[name] = decodeEntities(value ?? '');
    }
    const node: XmlElement = { name: open[1], attributes, children: [], text: '' };
    if (open[3] === '/') return node;
    for (;;) {
      const textEnd = source.indexOf('<', at);
      if (textEnd === -1) throw new Error(`unclosed <${node.name}>`);
      node.text += decodeEntities(source.slice(at, textEnd));
      at = textEnd;
      if (source.startsWith('<!--', at)) {
        at = source.indexOf('-->', at) + 3;
      } else if (source.startsWith('<![CDATA[', at)) {
        const end = source.indexOf(']]>', at);
        node.text += source.slice(at + 9, end);
        at = end + 3;
      } else if (source.startsWith('</', at)) {
        const close = `</${node.name}>`;
        if (!source.startsWith(close, at)) throw new Error(`expected ${close} at offset ${at}`);
        at += close.length;
        return node;
      } else {
        node.children.push(element());
      }
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (at !== source.length) throw new Error(`content after the root element at offset ${at}`);
  return root;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? '';
  });
}

/**
 * Checks a REST-XML body against an output shape: every child element names a member (by its XML
 * name, flattened lists repeated in place, wrapped lists as their member elements), scalars hold text
 * of their type, enums a value the model lists.
 */
export function checkXml(
  model: ServiceModel,
  output: Shape,
  declared: string | undefined,
  root: XmlElement,
): Violation[] {
  const out: Violation[] = [];
  const at = child({ model, shape: output, declared, path: '' }, output, declared, root.name);
  const payload = at.shape.payload;
  if (payload !== undefined) {
    const member = at.shape.members?.[payload];
    if (member === undefined) return out;
    const fields = structureFields(declaration(model, declared));
    visitElement(child(at, member, fields?.get(payload), root.name), root, out);
    return out;
  }
  visitElement(at, root, out);
  return out;
}

function visitElement(at: Position, element: XmlElement, out: Violation[]): void {
  const type = typeOf(at.shape);
  if (type !== 'structure') {
    if (element.children.length > 0) out.push({ path: at.path, problem: `expected ${type}, got elements` });
    else checkScalarText(at, element.text, out);
    return;
  }
  const members = Object.entries(at.shape.members ?? {}).filter(([, shape]) => !isBoundElsewhere(shape));
  const fields = structureFields(declaration(at.model, at.declared));
  for (const node of element.children) {
    const path = `${at.path}.${node.name}`;
    const matched = members.find(([name, shape]) => xmlName(at.model, name, shape) === node.name);
    if (matched === undefined) {
      out.push({ path, problem: 'element not in the model' });
      continue;
    }
    const [name, shape] = matched;
    const memberAt = child(at, shape, fields?.get(name), path);
    if (typeOf(memberAt.shape) === 'list') {
      const element = child(
        memberAt,
        memberAt.shape.member ?? {},
        listMember(declaration(at.model, memberAt.declared)),
        path,
      );
      if (memberAt.shape.flattened) {
        visitElement(element, node, out);
      } else {
        const itemName = memberAt.shape.member?.locationName ?? 'member';
        for (const item of node.children) {
          if (item.name !== itemName)
            out.push({ path: `${path}.${item.name}`, problem: `expected <${itemName}>` });
          else visitElement({ ...element, path: `${path}.${itemName}` }, item, out);
        }
      }
    } else {
      visitElement(memberAt, node, out);
    }
  }
}

/** A member's element name: its own locationName, a flattened list's member's, else the member name. */
function xmlName(model: ServiceModel, name: string, shape: Shape): string {
  if (shape.locationName !== undefined) return shape.locationName;
  const resolved = shape.shape === undefined ? shape : { ...model.shapes[shape.shape], ...shape };
  if (resolved.flattened && resolved.member?.locationName) return resolved.member.locationName;
  return name;
}
