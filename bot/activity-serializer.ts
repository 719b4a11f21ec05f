import { createSerializer, type Mapper } from '@azure/core-client';
// The Bot Connector API's own type descriptions, the ones its operations serialize a request with.
import * as ConnectorMappers from 'botframework-connector/lib/connectorApi/models/mappers.js';

/**
 * An outgoing activity as botbuilder's ConnectorClient puts it in a request body: properties the
 * Bot Connector schema names (others dropped, at every level), dates as ISO strings, values of the
 * wrong type refused.
 *
 * The Azure serializer does this by walking every property the schema has — 42 on an activity —
 * with regular expressions and string building for each, whether the activity has it or not: 45–65
 * µs for a one-line reply, about 5 % of a message round trip's CPU (ADR 0019). This walk does the
 * same for the shapes activities have and hands everything else to that serializer: a value of
 * another type than the schema's (it refuses those with its own error), invalid dates,
 * polymorphic or open-ended schemas, dictionaries. Its result is therefore the
 * serializer's result; the test compares the two over generated activities.
 */

/** What the walk reads of a mapper (`@azure/core-client`'s `Mapper`, all its variants in one). */
interface Shape {
  serializedName?: string;
  readOnly?: boolean;
  isConstant?: boolean;
  required?: boolean;
  nullable?: boolean;
  defaultValue?: unknown;
  type: {
    name: string;
    className?: string;
    modelProperties?: Record<string, Shape>;
    additionalProperties?: unknown;
    polymorphicDiscriminator?: unknown;
    element?: Shape;
  };
}

const registry = ConnectorMappers as unknown as Record<string, Shape>;
const azure = createSerializer(ConnectorMappers as unknown as Record<string, Mapper>);
const ACTIVITY = registry.Activity!;

/** Returned up the walk when a value needs the Azure serializer (so every walk returns `unknown`). */
const HAND_OVER: unique symbol = Symbol('hand over');

interface Composite {
  /** Property key, serialized name and mapper, in the schema's order (the serializer's output order). */
  props: Array<[string, string, Shape]>;
}

/** A composite's properties resolved once per mapper, or null when the walk does not handle it. */
const composites = new WeakMap<Shape, Composite | null>();

export function serializeActivity(activity: unknown): unknown {
  const fast = walk(ACTIVITY, activity);
  return fast === HAND_OVER ? azure.serialize(ACTIVITY as Mapper, activity, 'activity') : fast;
}

function walk(mapper: Shape, value: unknown): unknown {
  // Constants, defaults and required or non-nullable properties have rules of their own there.
  if (
    mapper.isConstant ||
    mapper.required ||
    mapper.nullable === false ||
    mapper.defaultValue !== undefined
  ) {
    return HAND_OVER;
  }
  if (value === undefined || value === null) return value;
  switch (mapper.type.name) {
    case 'String':
      return typeof value === 'string' ? value : HAND_OVER;
    case 'Number':
      return typeof value === 'number' ? value : HAND_OVER;
    case 'Boolean':
      return typeof value === 'boolean' ? value : HAND_OVER;
    case 'Object':
      // Passed through as it is, not copied, as the serializer does.
      return value;
    case 'DateTime':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? HAND_OVER : value.toISOString();
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? new Date(value).toISOString()
        : HAND_OVER;
    case 'Sequence':
      return walkSequence(mapper, value);
    case 'Composite':
      return walkComposite(mapper, value);
    default:
      return HAND_OVER;
  }
}

function walkSequence(mapper: Shape, value: unknown): unknown {
  if (!Array.isArray(value)) return HAND_OVER;
  let element = mapper.type.element;
  if (!element) return HAND_OVER;
  // The serializer's quirk: a composite element is looked up by class name, whatever is inline.
  const className = element.type.className;
  if (element.type.name === 'Composite' && className) element = registry[className] ?? element;
  const out: unknown[] = [];
  for (const item of value) {
    const walked = walk(element, item);
    if (walked === HAND_OVER) return HAND_OVER;
    out.push(walked);
  }
  return out;
}

function walkComposite(mapper: Shape, value: unknown): unknown {
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return HAND_OVER;
  const composite = compositeOf(mapper);
  if (!composite) return HAND_OVER;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, name, propMapper] of composite.props) {
    const walked = walk(propMapper, source[key]);
    if (walked === HAND_OVER) return HAND_OVER;
    if (walked !== undefined) out[name] = walked;
  }
  return out;
}

function compositeOf(mapper: Shape): Composite | null {
  let composite = composites.get(mapper);
  if (composite === undefined) {
    composite = resolveComposite(mapper);
    composites.set(mapper, composite);
  }
  return composite;
}

function resolveComposite(mapper: Shape): Composite | null {
  const { type } = mapper;
  const referenced = type.className ? registry[type.className]?.type : undefined;
  const discriminated = (name?: string) => Boolean(name && registry[name]?.type.polymorphicDiscriminator);
  if (
    type.polymorphicDiscriminator ||
    discriminated(mapper.serializedName) ||
    discriminated(type.className)
  ) {
    return null;
  }
  if (type.additionalProperties ?? referenced?.additionalProperties) return null;
  const modelProperties = type.modelProperties ?? referenced?.modelProperties;
  if (!modelProperties) return null;
  const props: Composite['props'] = [];
  for (const [key, propMapper] of Object.entries(modelProperties)) {
    if (propMapper.readOnly) continue;
    const name = propMapper.serializedName;
    // Dotted names nest the value ("flattening"); an empty one means the object itself.
    if (!name || name.includes('.')) return null;
    props.push([key, name, propMapper]);
  }
  return { props };
}
