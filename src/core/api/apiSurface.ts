/**
 * The API surface of one assembly as ApiCompat sees it (Microsoft.DotNet.ApiCompatibility over
 * Roslyn symbols, without assembly references): every type and member visible outside the
 * assembly, named by its documentation comment id (DocId, as Roslyn writes it), with the facts the
 * compatibility rules look at (apiCompare.ts). Read from CLI metadata (ECMA-335 II.22-23) with the
 * bounded reader in metadata.ts: each table is walked once, signatures are decoded with a depth
 * cap, and anything inconsistent makes the read fail rather than guess.
 */
import { Cursor, openMetadata, TABLES as T, type Metadata } from './metadata';

export type TypeKind = 'class' | 'interface' | 'struct' | 'enum' | 'delegate';
export type Visibility = 'public' | 'protected' | 'protected internal' | 'hidden';
/** Visibilities from narrowest to widest (for the widest of a property's accessors, and for CP0019). */
export const VISIBILITY_RANK: Readonly<Record<Visibility, number>> = { public: 3, 'protected internal': 2, protected: 1, hidden: 0 };

export interface GenericConstraints {
  readonly flags: readonly string[];
  readonly types: readonly string[];
}

export interface ApiMember {
  readonly docId: string;
  /**
   * What ApiCompat maps members by within their type (Roslyn's display string with the member's
   * type): the name and signature (the DocId without the type's name), the return or field type (a
   * changed return type is another member), and for an accessor its property or event with "get",
   * "set", "init" (an init-only setter and a set_ are different members), "add" or "remove". Kept
   * as its parts and a hash of them, matched by MemberTable: joined into one string per member,
   * the keys were a quarter of a large assembly's build.
   */
  readonly keyKind: number;
  readonly keyName: string;
  readonly keySignature: string;
  readonly keyType: string;
  readonly keyHash: number;
  readonly kind: 'method' | 'field' | 'property' | 'event';
  readonly name: string;
  readonly visibility: Visibility;
  readonly isStatic: boolean;
  readonly isAbstract: boolean;
  /** Roslyn's IsVirtual: virtual, not abstract, not sealed, not an override. */
  readonly isVirtual: boolean;
  readonly isOverride: boolean;
  /** A property or event accessor (get_, set_, add_, remove_). */
  readonly isAccessor: boolean;
  readonly isConstructor: boolean;
  /** Methods: parameter types and return type as DocId strings, and generic arity. */
  readonly parameters: readonly string[];
  readonly returnType: string;
  readonly genericArity: number;
  readonly constraints: readonly GenericConstraints[];
}

export interface ApiType {
  readonly docId: string;
  /** The DocId without "T:". */
  readonly name: string;
  readonly kind: TypeKind;
  readonly visibility: Visibility;
  readonly isSealed: boolean;
  readonly isEffectivelySealed: boolean;
  /** Base types from the immediate one up, as far as this assembly defines them. */
  readonly baseTypes: readonly string[];
  /** The DocIds of the base types this assembly defines (for "promoted to a base type"); for an interface, its base interfaces. */
  readonly baseDefinitions: readonly string[];
  /** Every base interface (Roslyn's GetAllBaseInterfaces order), with whether it is visible. */
  readonly interfaces: readonly { name: string; visible: boolean; definition?: string }[];
  readonly members: MemberTable;
  /** Every method of this type, visible or not (for "promoted to a base type"); read when first asked. */
  allMethods(): readonly { name: string; parameterCount: number; returnType: string; genericArity: number }[];
  readonly enclosing?: string;
  readonly constraints: readonly GenericConstraints[];
}

export interface ApiSurface {
  /** Every type the assembly defines (visible or not), by DocId. */
  readonly types: ReadonlyMap<string, ApiType>;
}

const MAX_SIGNATURE_DEPTH = 64;
const NONE: readonly never[] = Object.freeze([]);
/**
 * A type's members by their key (ApiMember.keyKind, keyName, keySignature, keyType). A member
 * whose key is already there takes its place, as a later Map.set would. A few members are
 * searched in their list (most types have a few); past SMALL_TABLE, an open-addressing index by
 * the key's hash finds them: typed, so neither its growth nor its keeping costs the garbage
 * collector (a Map per type was a tenth of a large surface's allocation).
 */
export class MemberTable {
  /** 1 + index in `list`, at the key's hash and the slots after it (0: empty); twice the members or more. */
  private slots: Int32Array | undefined;
  private readonly list: ApiMember[] = [];

  public set(member: ApiMember): void {
    const same = this.get(member);
    if (same !== undefined) {
      this.list[this.list.indexOf(same)] = member; // the index in `slots` stays right
      return;
    }
    this.list.push(member);
    if (this.slots && this.list.length * 2 <= this.slots.length) {
      this.index(this.list.length - 1);
    } else if (this.slots || this.list.length > SMALL_TABLE) {
      this.slots = new Int32Array(Math.max(64, (this.slots?.length ?? 0) * 2));
      this.list.forEach((_, position) => this.index(position));
    }
  }

  private index(position: number): void {
    const slots = this.slots!;
    const mask = slots.length - 1;
    let at = this.list[position].keyHash & mask;
    while (slots[at] !== 0) {
      at = (at + 1) & mask;
    }
    slots[at] = position + 1;
  }

  /** The member with the same key as `probe` (a member of another surface), if any. */
  public get(probe: ApiMember): ApiMember | undefined {
    const slots = this.slots;
    if (!slots) {
      for (const member of this.list) {
        if (sameKey(member, probe)) {
          return member;
        }
      }
      return undefined;
    }
    const mask = slots.length - 1;
    for (let at = probe.keyHash & mask; slots[at] !== 0; at = (at + 1) & mask) {
      const member = this.list[slots[at] - 1];
      if (sameKey(member, probe)) {
        return member;
      }
    }
    return undefined;
  }

  public has(probe: ApiMember): boolean {
    return this.get(probe) !== undefined;
  }

  /** Every member, in the order they were first set. */
  public values(): readonly ApiMember[] {
    return this.list;
  }

  public get size(): number {
    return this.list.length;
  }
}

/** Up to this many members, a table is searched in its list. */
const SMALL_TABLE = 8;

function sameKey(a: ApiMember, b: ApiMember): boolean {
  return a.keyHash === b.keyHash && a.keyKind === b.keyKind && a.keyName === b.keyName && a.keySignature === b.keySignature && a.keyType === b.keyType;
}

/**
 * A list the surface keeps, at its size: an array grown by push keeps room for 17 or more, and a
 * large assembly keeps thousands of short lists (an empty one is the shared NONE).
 */
function compact<T>(list: T[]): readonly T[] {
  return list.length === 0 ? NONE : list.slice();
}

/** A string's hash (FNV-1a over its UTF-16 code units), continuing `hash`. */
function hashText(text: string, hash = 0x811c9dc5): number {
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash;
}

/** A member key's hash from its kind and its parts' hashes: a small integer, so the table's keys cost nothing to keep. */
function keyHash(kind: number, name: number, signature: number, type: number): number {
  let hash = Math.imul(0x811c9dc5 ^ kind, 0x01000193);
  hash = Math.imul(hash ^ name, 0x01000193);
  hash = Math.imul(hash ^ signature, 0x01000193);
  hash = Math.imul(hash ^ type, 0x01000193);
  return (hash ^ (hash >>> 15)) & 0x3fffffff;
}

/** The kinds of member key (ApiMember.keyKind); an accessor's adds its word (get, set...). */
const KEY_METHOD = 1;
const KEY_FIELD = 2;
const KEY_PROPERTY = 3;
const KEY_EVENT = 4;
const KEY_ACCESSOR = 8;
const ACCESSOR_WORDS = ['other', 'set', 'init', 'get', 'add', 'remove', 'raise'];

/** The members of every type that is not API (most types of a large assembly): one shared, empty table. */
const NO_MEMBERS = new MemberTable();

/**
 * The same string, flat: a string built by concatenation is a tree of parts until something reads
 * it whole, and a map key that is still a tree makes every lookup walk it (the first comparison of
 * two fresh surfaces took 3 to 4 times as long). Reading the last character makes V8 join it.
 */
function flat(text: string): string {
  text.charCodeAt(text.length - 1);
  return text;
}

/** Primitive element types' names by element type (ECMA-335 II.23.1.16), '' for the others: a dense array, not a sparse object, for the hottest lookup of a build. */
const PRIMITIVES: readonly string[] = (() => {
  const names = new Array<string>(0x1d).fill('');
  const known: Readonly<Record<number, string>> = {
    0x01: 'System.Void', 0x02: 'System.Boolean', 0x03: 'System.Char', 0x04: 'System.SByte', 0x05: 'System.Byte', 0x06: 'System.Int16',
    0x07: 'System.UInt16', 0x08: 'System.Int32', 0x09: 'System.UInt32', 0x0a: 'System.Int64', 0x0b: 'System.UInt64', 0x0c: 'System.Single',
    0x0d: 'System.Double', 0x0e: 'System.String', 0x16: 'System.TypedReference', 0x18: 'System.IntPtr', 0x19: 'System.UIntPtr', 0x1c: 'System.Object',
  };
  for (const [element, name] of Object.entries(known)) {
    names[Number(element)] = name;
  }
  return names;
})();

/** A member's yes/no facts as bits (CompactMember.flags). */
const STATIC = 1;
const ABSTRACT = 2;
const VIRTUAL = 4;
const OVERRIDE = 8;
const ACCESSOR = 16;
const CONSTRUCTOR = 32;
/** Where an accessor's word (an index in ACCESSOR_WORDS) starts in its bits. */
const WORD_SHIFT = 6;
const DATA_KEY_KIND: Readonly<Record<'field' | 'property' | 'event', number>> = { field: KEY_FIELD, property: KEY_PROPERTY, event: KEY_EVENT };

/** What a method's DocId and key are made of: its signature, decoded once per blob. */
interface MethodSignature {
  readonly returnType: string;
  readonly parameters: string[];
  readonly genericArity: number;
  readonly hasThis: boolean;
  readonly initOnly: boolean;
  /** The DocId tail: "``2(System.Int32,`0)", built once per signature. */
  readonly suffix: string;
  /** hashText of the suffix and of the return type, for member keys. */
  readonly suffixHash: number;
  readonly returnHash: number;
}

/**
 * What every member of the API keeps: a large assembly has tens of thousands, each kept while the
 * surface is, so the yes/no facts are bits and the DocId is joined only when asked (for a break
 * or an addition). Fields, properties and events never carry ACCESSOR or CONSTRUCTOR.
 */
abstract class CompactMember {
  public constructor(
    protected readonly typeName: string,
    public readonly keyHash: number,
    public readonly name: string,
    public readonly visibility: Visibility,
    protected readonly flags: number,
  ) {}

  public get isStatic(): boolean {
    return (this.flags & STATIC) !== 0;
  }

  public get isAbstract(): boolean {
    return (this.flags & ABSTRACT) !== 0;
  }

  public get isVirtual(): boolean {
    return (this.flags & VIRTUAL) !== 0;
  }

  public get isOverride(): boolean {
    return (this.flags & OVERRIDE) !== 0;
  }

  public get isAccessor(): boolean {
    return (this.flags & ACCESSOR) !== 0;
  }

  public get isConstructor(): boolean {
    return (this.flags & CONSTRUCTOR) !== 0;
  }
}

/** A method of the API. */
class MethodMember extends CompactMember implements ApiMember {
  public constructor(
    typeName: string,
    keyHash: number,
    name: string,
    visibility: Visibility,
    /** The bits, and for an accessor its word (an index in ACCESSOR_WORDS) from WORD_SHIFT on. */
    flags: number,
    private readonly signature: MethodSignature,
    public readonly constraints: readonly GenericConstraints[],
    /** The MethodDef row and its access bits. */
    public readonly row: number,
    public readonly access: number,
    /** An accessor's property or event name, and the property's parameters ("(System.Int32)"); else ''. */
    private readonly owner: string,
    private readonly ownerParameters: string,
  ) {
    super(typeName, keyHash, name, visibility, flags);
  }

  public get keyKind(): number {
    return (this.flags & ACCESSOR) !== 0 ? KEY_ACCESSOR + (this.flags >>> WORD_SHIFT) : KEY_METHOD;
  }

  public get keyName(): string {
    return (this.flags & ACCESSOR) !== 0 ? this.owner : this.name;
  }

  public get keySignature(): string {
    return (this.flags & ACCESSOR) !== 0 ? this.ownerParameters : this.signature.suffix;
  }

  public get keyType(): string {
    return this.signature.returnType;
  }

  /** The DocId, joined when asked: the name with '.' as '#', the signature's tail, and for a conversion its return type. */
  public get docId(): string {
    return `M:${this.typeName}.${methodDocName(this.name, this.signature)}`;
  }

  public get kind(): 'method' {
    return 'method';
  }

  public get parameters(): readonly string[] {
    return this.signature.parameters;
  }

  public get returnType(): string {
    return this.signature.returnType;
  }

  public get genericArity(): number {
    return this.signature.genericArity;
  }

  /** The same method seen with another visibility (a protected member of a sealed type is not API). */
  public withVisibility(visibility: Visibility): MethodMember {
    return new MethodMember(this.typeName, this.keyHash, this.name, visibility, this.flags, this.signature, this.constraints, this.row, this.access, this.owner, this.ownerParameters);
  }
}

/** A method's DocId after its type's: "Name``1(System.Int32)", "op_Implicit(A)~B", "System#IDisposable#Dispose". */
function methodDocName(name: string, signature: MethodSignature): string {
  const docName = name.includes('.') ? name.replace(/\./g, '#') : name;
  if (name === 'op_Implicit' || name === 'op_Explicit') {
    return `${docName}${signature.suffix}~${signature.returnType}`;
  }
  return signature.suffix ? `${docName}${signature.suffix}` : docName;
}

/** A field, property or event of the API. */
class DataMember extends CompactMember implements ApiMember {
  public constructor(
    public readonly kind: 'field' | 'property' | 'event',
    typeName: string,
    /** The name as a DocId spells it ('.' as '#'), a property's with its parameters. */
    private readonly ownName: string,
    name: string,
    visibility: Visibility,
    flags: number,
    /** A field's type ('' for a property or event: their types come with their accessors). */
    public readonly returnType: string,
  ) {
    super(typeName, keyHash(DATA_KEY_KIND[kind], hashText(ownName), 0, hashText(returnType)), name, visibility, flags);
  }

  public get keyKind(): number {
    return DATA_KEY_KIND[this.kind];
  }

  public get keyName(): string {
    return this.ownName;
  }

  public get keySignature(): string {
    return '';
  }

  public get keyType(): string {
    return this.returnType;
  }

  public get docId(): string {
    return `${this.kind === 'field' ? 'F' : this.kind === 'property' ? 'P' : 'E'}:${this.typeName}.${this.ownName}`;
  }

  public get parameters(): readonly string[] {
    return NONE;
  }

  public get genericArity(): number {
    return 0;
  }

  public get constraints(): readonly GenericConstraints[] {
    return NONE;
  }
}

/** A type name segment's generic arity, from its `N suffix (0 when there is none or it is not a number). */
function segmentArity(raw: string): number {
  const tick = raw.lastIndexOf('`');
  const arity = tick > 0 ? Number(raw.slice(tick + 1)) : 0;
  return Number.isInteger(arity) && arity > 0 ? arity : 0;
}

/** A segment of a definition's DocId name: "List`1" (the raw name, unless its `N suffix is spelled otherwise). */
function segmentText(raw: string): string {
  const arity = segmentArity(raw);
  if (arity === 0) {
    return raw;
  }
  const canonical = `${raw.slice(0, raw.lastIndexOf('`'))}\`${arity}`;
  return canonical === raw ? raw : canonical;
}

const accessVisibility = (access: number): Visibility => (access === 6 ? 'public' : access === 4 ? 'protected' : access === 5 ? 'protected internal' : 'hidden');

/** A member's visibility as API: protected members of an effectively sealed type are not. */
function memberVisibility(access: number, sealedType: boolean): Visibility {
  const own = accessVisibility(access);
  return own === 'public' || own === 'hidden' || !sealedType ? own : 'hidden';
}

/** What a type's allMethods() lists. */
type MethodShape = ReturnType<ApiType['allMethods']>[number];

/**
 * A type of the surface (visible or not). Its every method, for "promoted to a base type", is
 * listed through the builder when first asked.
 */
class SurfaceType implements ApiType {
  private everyMethod: readonly MethodShape[] | undefined;

  public constructor(
    public readonly docId: string,
    public readonly name: string,
    public readonly kind: TypeKind,
    public readonly visibility: Visibility,
    public readonly isSealed: boolean,
    public readonly isEffectivelySealed: boolean,
    public readonly baseTypes: readonly string[],
    public readonly baseDefinitions: readonly string[],
    public readonly interfaces: ApiType['interfaces'],
    public readonly members: MemberTable,
    public readonly enclosing: string | undefined,
    public readonly constraints: readonly GenericConstraints[],
    private readonly row: number,
    private readonly lister: MethodLister,
  ) {}

  public allMethods(): readonly MethodShape[] {
    return (this.everyMethod ??= this.lister.listMethods(this.row));
  }
}

/**
 * Lists of values per owner row (1..owners), in table order, as one compressed index: a large
 * assembly has thousands of owners, and typed arrays cost the garbage collector nothing to keep.
 * An entry whose owner is out of range (crafted metadata) is left out: no row asks for it.
 */
class RowLists {
  private readonly starts: Int32Array;
  private readonly values: Int32Array;

  public constructor(owners: number, entries: number, ownerOf: (entry: number) => number, valueOf: (entry: number) => number) {
    this.starts = new Int32Array(owners + 2);
    const entryOwners = new Int32Array(entries + 1);
    for (let entry = 1; entry <= entries; entry++) {
      const owner = ownerOf(entry);
      if (owner >= 1 && owner <= owners) {
        entryOwners[entry] = owner;
        this.starts[owner + 1]++;
      }
    }
    for (let owner = 1; owner <= owners + 1; owner++) {
      this.starts[owner] += this.starts[owner - 1];
    }
    this.values = new Int32Array(this.starts[owners + 1]);
    const next = this.starts.slice();
    for (let entry = 1; entry <= entries; entry++) {
      const owner = entryOwners[entry];
      if (owner !== 0) {
        this.values[next[owner]++] = valueOf(entry);
      }
    }
  }

  /** The index of an owner's first value, and past its last (both 0 for an owner out of range). */
  public first(owner: number): number {
    return owner >= 1 && owner < this.starts.length - 1 ? this.starts[owner] : 0;
  }

  public end(owner: number): number {
    return owner >= 1 && owner < this.starts.length - 1 ? this.starts[owner + 1] : 0;
  }

  public value(index: number): number {
    return this.values[index];
  }
}

/** A type parameter without constraints (most of them): one shared value. */
const NO_CONSTRAINTS: GenericConstraints = Object.freeze({ flags: NONE, types: NONE });

export function readApiSurface(bytes: Uint8Array): ApiSurface | undefined {
  let metadata: Metadata | undefined;
  try {
    metadata = openMetadata(bytes);
    return metadata ? buildSurface(metadata) : undefined;
  } catch {
    return undefined;
  }
}

/** What the surface's types ask their builder for later. */
interface MethodLister {
  listMethods(row: number): MethodShape[];
}

/** The visibilities as stored per row (1 + index; 0: not yet known). */
const VISIBILITIES: readonly Visibility[] = ['public', 'protected', 'protected internal', 'hidden'];

function buildSurface(md: Metadata): ApiSurface | undefined {
  if (md.rows(T.MethodPtr) > 0 || md.rows(T.FieldPtr) > 0 || md.rows(T.PropertyPtr) > 0 || md.rows(T.EventPtr) > 0) {
    return undefined; // indirection tables: only in unoptimized (edit-and-continue) metadata
  }
  return new SurfaceBuilder(md).build();
}

/**
 * Builds one surface. What it keeps is the surface itself; its working state is in typed arrays
 * and per-row caches of strings, because everything a large assembly's build allocates and keeps
 * is copied by each young-generation collection it lives through (GC was a third of the time).
 * A class, not closures made per build: the compiler's optimized code is then shared by every
 * build (closures made anew each time had the second build of a process run as slowly as the first).
 */
class SurfaceBuilder implements MethodLister {
  private readonly typeCount: number;
  /** Per-row facts in typed arrays (0: none): a large assembly has tens of thousands of rows. */
  private readonly enclosingRows: Int32Array;
  /** DocId names by TypeDef and TypeRef row ("Ns.Outer`1.Inner"), each built once. */
  private readonly defNames: (string | undefined)[];
  private readonly refNames: (string | undefined)[];
  /** For generic instances of types that are not nested: the name before the arguments (null: nested), and the arity. */
  private readonly defStems: (string | null | undefined)[];
  private readonly refStems: (string | null | undefined)[];
  private readonly defArities: Int32Array;
  private readonly refArities: Int32Array;
  /** Method and property signatures by blob index: the heap shares equal blobs, so each is decoded once. */
  private readonly signatureSlots: Int32Array; // 1 + index in decodedSignatures
  private readonly decodedSignatures: MethodSignature[] = [];
  /** Field types by their signature's blob index. */
  private readonly fieldTypes = new Map<number, string>();
  /** TypeDefOrRef coded indexes (extends, interface, constraint) as DocId names. */
  private readonly references = new Map<number, string | undefined>();
  /** GenericParam rows ordered by owner (a TypeOrMethodDef coded index), then number; and their owners. */
  private readonly paramRows: Int32Array;
  private readonly paramOwners: Int32Array;
  private readonly constraintsOfParam: RowLists;
  private readonly nullable: NullableValues;
  /** Constraints as shown, by owner (only owners with type parameters). */
  private readonly shownConstraints = new Map<number, readonly GenericConstraints[]>();
  /** Method semantics by MethodDef row: which methods are accessors, of what. */
  private readonly semanticsOf: Int32Array;
  private readonly associationOf: Int32Array;
  private readonly propertyAccessors: RowLists;
  private readonly eventAccessors: RowLists;
  private readonly interfacesOf: RowLists;
  private readonly propertyRange: { first: Int32Array; end: Int32Array };
  private readonly eventRange: { first: Int32Array; end: Int32Array };
  /** Each method's facts, built once: by MethodDef row, 1 + index in methodList (0: not yet). */
  private readonly methodSlots: Int32Array;
  private readonly methodList: MethodMember[] = [];
  /** Each type's DocId ("T:" and its name) by TypeDef row: one flat string for every map and list that names it. */
  private readonly typeIds: string[] = [''];
  private readonly visibilityCodes: Int8Array; // 0: not yet; else 1 + index in VISIBILITIES
  private readonly sealedCodes: Int8Array; // 0: not yet, 1: no, 2: yes

  public constructor(private readonly md: Metadata) {
    const typeCount = md.rows(T.TypeDef);
    this.typeCount = typeCount;
    this.enclosingRows = new Int32Array(typeCount + 1);
    for (let row = 1; row <= md.rows(T.NestedClass); row++) {
      const nested = md.cell(T.NestedClass, row, 0);
      if (nested >= 1 && nested <= typeCount) {
        this.enclosingRows[nested] = md.cell(T.NestedClass, row, 1);
      }
    }
    this.defNames = new Array(typeCount + 1);
    this.refNames = new Array(md.rows(T.TypeRef) + 1);
    this.defStems = new Array(typeCount + 1);
    this.refStems = new Array(md.rows(T.TypeRef) + 1);
    this.defArities = new Int32Array(typeCount + 1);
    this.refArities = new Int32Array(md.rows(T.TypeRef) + 1);
    this.signatureSlots = new Int32Array(md.blobHeapSize);

    // Generic parameters. ECMA-335 keeps the table in owner, number order; crafted metadata is sorted here.
    const paramCount = md.rows(T.GenericParam);
    this.paramRows = new Int32Array(paramCount);
    for (let index = 0; index < paramCount; index++) {
      this.paramRows[index] = index + 1;
    }
    const paramOwner = (row: number): number => md.cell(T.GenericParam, row, 2);
    const inOrder = (a: number, b: number): number => paramOwner(a) - paramOwner(b) || md.cell(T.GenericParam, a, 0) - md.cell(T.GenericParam, b, 0) || a - b;
    for (let index = 1; index < paramCount; index++) {
      if (inOrder(this.paramRows[index - 1], this.paramRows[index]) > 0) {
        this.paramRows.sort(inOrder);
        break;
      }
    }
    this.paramOwners = this.paramRows.map(paramOwner);
    this.constraintsOfParam = new RowLists(paramCount, md.rows(T.GenericParamConstraint), (row) => md.cell(T.GenericParamConstraint, row, 0), (row) => md.cell(T.GenericParamConstraint, row, 1));
    this.nullable = nullableValues(md, (row) => this.typeDefName(row));

    this.semanticsOf = new Int32Array(md.rows(T.MethodDef) + 1);
    this.associationOf = new Int32Array(md.rows(T.MethodDef) + 1);
    for (let row = 1; row <= md.rows(T.MethodSemantics); row++) {
      const method = md.cell(T.MethodSemantics, row, 1);
      if (method >= 1 && method < this.semanticsOf.length) {
        this.semanticsOf[method] = md.cell(T.MethodSemantics, row, 0) || 0x4;
        this.associationOf[method] = md.cell(T.MethodSemantics, row, 2);
      }
    }
    // HasSemantics: (row << 1) | 1 for a property, row << 1 for an event.
    const accessorsOf = (tag: number, table: number): RowLists => new RowLists(md.rows(table), md.rows(T.MethodSemantics), (row) => {
      const association = md.cell(T.MethodSemantics, row, 2);
      return (association & 1) === tag ? association >>> 1 : 0;
    }, (row) => md.cell(T.MethodSemantics, row, 1));
    this.propertyAccessors = accessorsOf(1, T.Property);
    this.eventAccessors = accessorsOf(0, T.Event);
    this.interfacesOf = new RowLists(typeCount, md.rows(T.InterfaceImpl), (row) => md.cell(T.InterfaceImpl, row, 0), (row) => md.cell(T.InterfaceImpl, row, 1));
    this.propertyRange = this.memberRanges(T.PropertyMap, T.Property);
    this.eventRange = this.memberRanges(T.EventMap, T.Event);
    this.methodSlots = new Int32Array(md.rows(T.MethodDef) + 1);
    for (let row = 1; row <= typeCount; row++) {
      this.typeIds.push(flat(`T:${this.typeDefName(row)}`));
    }
    this.visibilityCodes = new Int8Array(typeCount + 1);
    this.sealedCodes = new Int8Array(typeCount + 1);
  }

  private enclosingOf(row: number): number | undefined {
    return this.enclosingRows[row] || undefined;
  }

  /** The past-the-end row of a range that a table's column starts (the next row's start, or the list's end). */
  private rangeEnd(table: number, column: number, row: number, listTable: number): number {
    return row < this.md.rows(table) ? this.md.cell(table, row + 1, column) : this.md.rows(listTable) + 1;
  }

  /** Each type's Property or Event rows, first and past-the-end (PropertyMap, EventMap; 0 and 0 for none). */
  private memberRanges(mapTable: number, listTable: number): { first: Int32Array; end: Int32Array } {
    const first = new Int32Array(this.typeCount + 1);
    const end = new Int32Array(this.typeCount + 1);
    for (let row = 1; row <= this.md.rows(mapTable); row++) {
      const parent = this.md.cell(mapTable, row, 0);
      const start = this.md.cell(mapTable, row, 1);
      const past = this.rangeEnd(mapTable, 1, row, listTable);
      if (parent >= 1 && parent <= this.typeCount) {
        first[parent] = start;
        end[parent] = past;
      }
    }
    return { first, end };
  }

  /** A type definition's DocId name: a nested type's is its enclosing type's and its own segment. */
  private typeDefName(row: number, depth = 0): string {
    const cached = this.defNames[row];
    if (cached !== undefined) {
      return cached;
    }
    if (depth > MAX_SIGNATURE_DEPTH) {
      throw new RangeError('nesting too deep');
    }
    const own = segmentText(this.md.string(this.md.cell(T.TypeDef, row, 1)));
    const outer = this.enclosingOf(row);
    const namespace = outer === undefined ? this.md.string(this.md.cell(T.TypeDef, row, 2)) : '';
    const name = flat(outer !== undefined ? `${this.typeDefName(outer, depth + 1)}.${own}` : namespace ? `${namespace}.${own}` : own);
    this.defNames[row] = name;
    return name;
  }

  private typeRefName(row: number, depth = 0): string {
    const cached = this.refNames[row];
    if (cached !== undefined) {
      return cached;
    }
    if (depth > MAX_SIGNATURE_DEPTH) {
      throw new RangeError('nesting too deep');
    }
    const scope = this.md.cell(T.TypeRef, row, 0);
    const own = segmentText(this.md.string(this.md.cell(T.TypeRef, row, 1)));
    const nested = (scope & 3) === 3 && scope >>> 2 !== 0;
    const namespace = nested ? '' : this.md.string(this.md.cell(T.TypeRef, row, 2));
    const name = flat(nested ? `${this.typeRefName(scope >>> 2, depth + 1)}.${own}` : namespace ? `${namespace}.${own}` : own);
    this.refNames[row] = name;
    return name;
  }

  /** A TypeDefOrRefOrSpecEncoded value's name (specs are decoded in place by the caller's element type). */
  private typeNameOf(coded: number): string {
    const tag = coded & 3;
    if (tag === 0) {
      return this.typeDefName(coded >>> 2);
    }
    if (tag === 1) {
      return this.typeRefName(coded >>> 2);
    }
    throw new RangeError('a type spec where a type name is expected');
  }

  /**
   * The DocId name of a constructed type: "Ns.List{System.Int32}", "Ns.Outer{`0}.Inner{System.Int32}"
   * (the arguments spread over the nesting levels by arity). A type that is not nested (nearly
   * every one) keeps the name before its arguments, per row.
   */
  private constructedName(coded: number, args: readonly string[]): string {
    const tag = coded & 3;
    const row = coded >>> 2;
    if (tag > 1) {
      throw new RangeError('a type spec where a type name is expected');
    }
    const stems = tag === 0 ? this.defStems : this.refStems;
    const arities = tag === 0 ? this.defArities : this.refArities;
    let stem = stems[row];
    if (stem === undefined) {
      const table = tag === 0 ? T.TypeDef : T.TypeRef;
      const raw = this.md.string(this.md.cell(table, row, 1));
      const scope = tag === 1 ? this.md.cell(T.TypeRef, row, 0) : 0;
      const nested = tag === 0 ? this.enclosingOf(row) !== undefined : (scope & 3) === 3 && scope >>> 2 !== 0;
      if (nested) {
        stem = null;
      } else {
        const arity = segmentArity(raw);
        const name = arity > 0 ? raw.slice(0, raw.lastIndexOf('`')) : raw;
        const namespace = this.md.string(this.md.cell(table, row, 2));
        stem = flat(namespace ? `${namespace}.${name}` : name);
        arities[row] = arity;
      }
      stems[row] = stem;
    }
    if (stem !== null) {
      const arity = arities[row];
      return arity === 0 ? stem : `${stem}{${(args.length === arity ? args : args.slice(0, arity)).join(',')}}`;
    }
    return this.nestedConstructedName(tag, row, args);
  }

  private nestedConstructedName(tag: number, innermost: number, args: readonly string[]): string {
    const raws: string[] = []; // innermost first
    let namespace = '';
    for (let row = innermost, depth = 0; ; depth++) {
      if (depth > MAX_SIGNATURE_DEPTH) {
        throw new RangeError('nesting too deep');
      }
      if (tag === 0) {
        raws.push(this.md.string(this.md.cell(T.TypeDef, row, 1)));
        const outer = this.enclosingOf(row);
        if (outer === undefined) {
          namespace = this.md.string(this.md.cell(T.TypeDef, row, 2));
          break;
        }
        row = outer;
      } else {
        const scope = this.md.cell(T.TypeRef, row, 0);
        raws.push(this.md.string(this.md.cell(T.TypeRef, row, 1)));
        if ((scope & 3) !== 3 || scope >>> 2 === 0) {
          namespace = this.md.string(this.md.cell(T.TypeRef, row, 2));
          break;
        }
        row = scope >>> 2;
      }
    }
    const parts: string[] = namespace ? [namespace] : [];
    let next = 0;
    for (let index = raws.length - 1; index >= 0; index--) {
      const raw = raws[index];
      const arity = segmentArity(raw);
      if (arity === 0) {
        parts.push(raw);
      } else {
        parts.push(`${raw.slice(0, raw.lastIndexOf('`'))}{${args.slice(next, next + arity).join(',')}}`);
        next += arity;
      }
    }
    return parts.join('.');
  }

  /** Decodes one type in a signature blob into its DocId string. */
  private decodeType(at: Cursor, depth: number): string {
    if (depth > MAX_SIGNATURE_DEPTH) {
      throw new RangeError('signature too deep');
    }
    const element = at.byte();
    const primitive = element < PRIMITIVES.length ? PRIMITIVES[element] : '';
    if (primitive !== '') {
      return primitive;
    }
    switch (element) {
      case 0x0f: return `${this.decodeType(at, depth + 1)}*`;
      case 0x10: return `${this.decodeType(at, depth + 1)}@`;
      case 0x11: case 0x12: return this.typeNameOf(at.number());
      case 0x13: return `\`${at.number()}`;
      case 0x1e: return `\`\`${at.number()}`;
      case 0x1d: return `${this.decodeType(at, depth + 1)}[]`;
      case 0x14: {
        const inner = this.decodeType(at, depth + 1);
        const rank = at.number();
        const sizes = at.number();
        for (let index = 0; index < sizes; index++) {
          at.number();
        }
        const bounds = at.number();
        for (let index = 0; index < bounds; index++) {
          at.number();
        }
        return `${inner}[${Array.from({ length: rank }, () => '0:').join(',')}]`;
      }
      case 0x15: {
        const kind = at.byte();
        if (kind !== 0x11 && kind !== 0x12) {
          throw new RangeError('generic instance of a non-type');
        }
        const generic = at.number();
        const count = at.number();
        const args: string[] = [];
        for (let index = 0; index < count; index++) {
          args.push(this.decodeType(at, depth + 1));
        }
        return this.constructedName(generic, args);
      }
      case 0x1f: case 0x20: {
        at.number(); // the modifier type: DocIds leave custom modifiers out
        return this.decodeType(at, depth + 1);
      }
      case 0x45: return this.decodeType(at, depth + 1); // pinned
      case 0x1b: {
        // A function pointer: DocIds spell it "=FUNC:ret(params)".
        const { returnType, parameters } = this.decodeMethodAt(at, depth + 1);
        return `=FUNC:${returnType}${parameters.length ? `(${parameters.join(',')})` : ''}`;
      }
      default: throw new RangeError(`unknown element type 0x${element.toString(16)}`);
    }
  }

  /** A type the surface keeps, decoded and joined into one flat string (the parts it was built from go). */
  private keptType(at: Cursor, depth: number): string {
    return flat(this.decodeType(at, depth));
  }

  private decodeMethodAt(at: Cursor, depth: number): MethodSignature {
    const header = at.byte();
    const genericArity = (header & 0x10) !== 0 ? at.number() : 0;
    const count = at.number();
    // An init accessor returns void modreq(IsExternalInit).
    let initOnly = false;
    if (at.peek() === 0x1f) {
      const coded = new Cursor(at.bytes, at.offset + 1, at.end).number();
      const modifier = (coded & 3) === 1 ? this.typeRefName(coded >>> 2) : (coded & 3) === 0 ? this.typeDefName(coded >>> 2) : undefined;
      initOnly = modifier === 'System.Runtime.CompilerServices.IsExternalInit';
    }
    const returnType = this.keptType(at, depth + 1);
    // Sized up front: an array grown by push keeps room for 17, and a large assembly keeps thousands.
    let parameters: string[] = new Array<string>(count);
    for (let index = 0, at0 = 0; index < count; index++, at0++) {
      if (at.peek() === 0x41) {
        at.offset++; // sentinel: the vararg part follows
        parameters = [...parameters.slice(0, at0), '__arglist', ...parameters.slice(at0)];
        at0++;
      }
      parameters[at0] = this.keptType(at, depth + 1);
    }
    const suffix = flat(`${genericArity > 0 ? `\`\`${genericArity}` : ''}${parameters.length > 0 ? `(${parameters.join(',')})` : ''}`);
    return { returnType, parameters, genericArity, hasThis: (header & 0x20) !== 0, initOnly, suffix, suffixHash: hashText(suffix) & 0x3fffffff, returnHash: hashText(returnType) & 0x3fffffff };
  }

  /** A method or property signature by its blob index, decoded once per blob. */
  private decodeSignature(blobIndex: number): MethodSignature {
    const slot = blobIndex < this.signatureSlots.length ? this.signatureSlots[blobIndex] : 0;
    if (slot !== 0) {
      return this.decodedSignatures[slot - 1];
    }
    const signature = this.decodeMethodAt(this.md.blobCursor(blobIndex), 0); // an index past the heap throws here
    this.decodedSignatures.push(signature);
    this.signatureSlots[blobIndex] = this.decodedSignatures.length;
    return signature;
  }

  /** A field's type by its signature's blob index, decoded once per blob. */
  private fieldType(blobIndex: number): string {
    let type = this.fieldTypes.get(blobIndex);
    if (type === undefined) {
      type = this.keptType(this.md.blobCursor(blobIndex, 1), 0);
      this.fieldTypes.set(blobIndex, type);
    }
    return type;
  }

  /** A TypeDefOrRef coded index (extends, interface, constraint) as a DocId name. */
  private typeReference(coded: number): string | undefined {
    let name = this.references.get(coded);
    if (name === undefined && !this.references.has(coded)) {
      name = this.uncachedTypeReference(coded);
      this.references.set(coded, name);
    }
    return name;
  }

  private uncachedTypeReference(coded: number): string | undefined {
    const tag = coded & 3;
    const row = coded >>> 2;
    if (row === 0) {
      return undefined;
    }
    if (tag === 0) {
      return this.typeDefName(row);
    }
    if (tag === 1) {
      return this.typeRefName(row);
    }
    return this.keptType(this.md.blobCursor(this.md.cell(T.TypeSpec, row, 0)), 0);
  }

  /** The TypeDef row a TypeDefOrRef coded index names, when it is defined here. */
  private localDefinition(coded: number): number | undefined {
    return (coded & 3) === 0 && coded >>> 2 !== 0 ? coded >>> 2 : (coded & 3) === 2 ? this.localSpecDefinition(coded >>> 2) : undefined;
  }

  private localSpecDefinition(specRow: number): number | undefined {
    const at = this.md.blobCursor(this.md.cell(T.TypeSpec, specRow, 0));
    if (at.remaining() < 3 || at.byte() !== 0x15) {
      return undefined;
    }
    const kind = at.byte();
    if (kind !== 0x11 && kind !== 0x12) {
      return undefined;
    }
    const coded = at.number();
    return (coded & 3) === 0 ? coded >>> 2 : undefined;
  }

  /**
   * Nullable metadata (the C# compiler's NullableAttribute / NullableContextAttribute): the context
   * of a type parameter's owner, from the method, else its type and the types enclosing it.
   */
  private contextOf(owner: number): number | undefined {
    let type: number | undefined;
    if ((owner & 1) === 1) {
      const method = owner >>> 1;
      const own = this.nullable.methodContext.get(method);
      if (own !== undefined) {
        return own;
      }
      type = this.nullable.typeOfMethod(method);
    } else {
      type = owner >>> 1;
    }
    for (let guard = 0; type !== undefined && guard < MAX_SIGNATURE_DEPTH; guard++) {
      const own = this.nullable.typeContext.get(type);
      if (own !== undefined) {
        return own;
      }
      type = this.enclosingOf(type);
    }
    return undefined;
  }

  /**
   * One type parameter's constraints as Roslyn shows them. A parameter whose own nullable value, or
   * else its owner's context, is 1 ("not annotated") and that has no other constraint reads as
   * `notnull`, as Roslyn reads it.
   */
  private showConstraint(param: number, owner: number): GenericConstraints {
    const flags = this.md.cell(T.GenericParam, param, 1);
    const types: string[] = [];
    for (let index = this.constraintsOfParam.first(param); index < this.constraintsOfParam.end(param); index++) {
      const coded = this.constraintsOfParam.value(index);
      const type = this.typeReference(coded);
      if (type) {
        // Without assembly references Roslyn reads a type from elsewhere as an error type: "!:" in its DocId.
        const local = (coded & 3) === 0 || ((coded & 3) === 2 && this.localSpecDefinition(coded >>> 2) !== undefined);
        types.push(flat(`${local ? 'T' : '!'}:${type}`));
      }
    }
    const value = this.nullable.genericParam.get(param) ?? this.contextOf(owner);
    const notNull = value === 1 && (flags & 0x0c) === 0 && types.length === 0;
    // struct sets the default-constructor flag too; Roslyn reads that as no new() constraint.
    const valueType = (flags & 0x08) !== 0;
    const list: string[] = [];
    if ((flags & 0x10) !== 0 && !valueType) {
      list.push('new()');
    }
    if (notNull) {
      list.push('notnull');
    }
    if ((flags & 0x04) !== 0) {
      list.push('class');
    }
    if (valueType) {
      list.push('struct');
    }
    const shown = valueType ? types.filter((type) => type !== '!:System.ValueType') : types;
    return list.length === 0 && shown.length === 0 ? NO_CONSTRAINTS : { flags: compact(list), types: compact(shown) };
  }

  /** An owner's constraints, one per type parameter in number order, built once per owner (most have none: one shared empty list). */
  private constraintsFor(owner: number): readonly GenericConstraints[] {
    // The owner's first parameter (binary search over the ordered owners).
    const count = this.paramOwners.length;
    let low = 0;
    let high = count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.paramOwners[middle] < owner) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    if (low >= count || this.paramOwners[low] !== owner) {
      return NONE;
    }
    let shown = this.shownConstraints.get(owner);
    if (shown === undefined) {
      const list: GenericConstraints[] = [];
      for (let index = low; index < count && this.paramOwners[index] === owner; index++) {
        list.push(this.showConstraint(this.paramRows[index], owner));
      }
      shown = compact(list);
      this.shownConstraints.set(owner, shown);
    }
    return shown;
  }

  /**
   * Roslyn displays an accessor as its property or event ("C.P.get", "C.this[int].set", "C.E.add"),
   * so ApiCompat maps accessors by that: a setter whose value type changed is the same member. The
   * accessor's word (an index in ACCESSOR_WORDS), its property's or event's name and the property's
   * parameters; undefined for a method that is no accessor.
   */
  private accessorOf(method: number, initOnly: boolean): { word: number; owner: string; parameters: string; parametersHash: number } | undefined {
    const semantics = this.semanticsOf[method];
    if (semantics === 0) {
      return undefined;
    }
    const association = this.associationOf[method];
    const row = association >>> 1;
    const word = ACCESSOR_WORDS.indexOf(semantics & 0x1 ? (initOnly ? 'init' : 'set') : semantics & 0x2 ? 'get' : semantics & 0x8 ? 'add' : semantics & 0x10 ? 'remove' : semantics & 0x20 ? 'raise' : 'other');
    if ((association & 1) === 1) {
      const signature = this.decodeSignature(this.md.cell(T.Property, row, 2));
      return { word, owner: this.md.string(this.md.cell(T.Property, row, 1)), parameters: signature.suffix, parametersHash: signature.suffixHash };
    }
    return { word, owner: this.md.string(this.md.cell(T.Event, row, 1)), parameters: '', parametersHash: 0 };
  }

  private extendsOf(row: number): number {
    return this.md.cell(T.TypeDef, row, 3);
  }

  private kindOf(row: number): TypeKind {
    const flags = this.md.cell(T.TypeDef, row, 0);
    if ((flags & 0x20) !== 0) {
      return 'interface';
    }
    const base = this.typeReference(this.extendsOf(row));
    const self = this.typeDefName(row);
    if (base === 'System.Enum') {
      return 'enum';
    }
    if (base === 'System.ValueType' && self !== 'System.Enum') {
      return 'struct';
    }
    return base === 'System.MulticastDelegate' ? 'delegate' : 'class';
  }

  /** Base types from the immediate one up, and the DocIds of those defined here. */
  private baseChain(row: number): { names: readonly string[]; definitions: readonly string[] } {
    const names: string[] = [];
    const definitions: string[] = [];
    let current: number | undefined = row;
    for (let guard = 0; current !== undefined && guard < MAX_SIGNATURE_DEPTH; guard++) {
      const coded = this.extendsOf(current);
      const name = this.typeReference(coded);
      if (!name) {
        break;
      }
      names.push(name);
      current = this.localDefinition(coded);
      if (current !== undefined) {
        if (this.typeIds[current] === undefined) {
          throw new RangeError('base type row out of range');
        }
        definitions.push(this.typeIds[current]);
      }
    }
    return { names: compact(names), definitions: compact(definitions) };
  }

  /** A method's facts, built once per MethodDef row. */
  private methodOf(row: number, typeRow: number, typeName: string, isInterface: boolean): MethodMember {
    const slot = row < this.methodSlots.length ? this.methodSlots[row] : 0;
    if (slot !== 0) {
      return this.methodList[slot - 1];
    }
    const flags = this.md.cell(T.MethodDef, row, 2);
    const name = this.md.string(this.md.cell(T.MethodDef, row, 3));
    const signature = this.decodeSignature(this.md.cell(T.MethodDef, row, 4));
    const isStatic = (flags & 0x10) !== 0;
    const isFinal = (flags & 0x20) !== 0;
    const isMetadataVirtual = (flags & 0x40) !== 0;
    const isNewSlot = (flags & 0x100) !== 0;
    const isAbstract = (flags & 0x400) !== 0;
    const hasBase = this.extendsOf(typeRow) >>> 2 !== 0;
    const isDestructor = name === 'Finalize' && signature.parameters.length === 0 && isMetadataVirtual && !isNewSlot;
    const isOverride = !isInterface && isMetadataVirtual && !isDestructor && !isNewSlot && hasBase;
    const isVirtual = isMetadataVirtual && !isDestructor && !isFinal && !isAbstract && !isOverride;
    const accessor = this.accessorOf(row, signature.initOnly);
    const bits = (isStatic ? STATIC : 0) | (isAbstract ? ABSTRACT : 0) | (isVirtual ? VIRTUAL : 0) | (isOverride ? OVERRIDE : 0)
      | (accessor ? ACCESSOR | (accessor.word << WORD_SHIFT) : 0) | (name === '.ctor' ? CONSTRUCTOR : 0);
    const hash = accessor
      ? keyHash(KEY_ACCESSOR + accessor.word, hashText(accessor.owner), accessor.parametersHash, signature.returnHash)
      : keyHash(KEY_METHOD, hashText(name), signature.suffixHash, signature.returnHash);
    const facts = new MethodMember(typeName, hash, name, accessVisibility(flags & 7), bits, signature, this.constraintsFor((row << 1) | 1), row, flags & 7, accessor?.owner ?? '', accessor?.parameters ?? '');
    this.methodList.push(facts);
    if (row < this.methodSlots.length) {
      this.methodSlots[row] = this.methodList.length;
    }
    return facts;
  }

  private methodStart(row: number): number {
    return this.md.cell(T.TypeDef, row, 5);
  }

  private methodEnd(row: number): number {
    return this.rangeEnd(T.TypeDef, 5, row, T.MethodDef);
  }

  /** Every method of a type (for a derived type's "promoted to a base type"), visible or not. */
  public listMethods(row: number): MethodShape[] {
    const name = this.typeDefName(row);
    const isInterface = (this.md.cell(T.TypeDef, row, 0) & 0x20) !== 0;
    const list: MethodShape[] = [];
    for (let method = this.methodStart(row); method < this.methodEnd(row); method++) {
      const facts = this.methodOf(method, row, name, isInterface);
      list.push({ name: facts.name, parameterCount: facts.parameters.length, returnType: facts.returnType, genericArity: facts.genericArity });
    }
    return list;
  }

  private isEffectivelySealed(row: number): boolean {
    if (this.sealedCodes[row] !== 0) {
      return this.sealedCodes[row] === 2;
    }
    const sealed = (this.md.cell(T.TypeDef, row, 0) & 0x100) !== 0;
    // HasVisibleConstructor counts protected constructors whatever the type (includeEffectivelyPrivateSymbols).
    // An instance constructor: RTSpecialName, not static, named .ctor (the name read only then).
    let visibleConstructor = false;
    const end = this.methodEnd(row);
    for (let method = this.methodStart(row); method < end && !visibleConstructor; method++) {
      const flags = this.md.cell(T.MethodDef, method, 2);
      const access = flags & 7;
      visibleConstructor = (flags & 0x1010) === 0x1000 && access >= 4 && access <= 6 && this.md.string(this.md.cell(T.MethodDef, method, 3)) === '.ctor';
    }
    const result = sealed || !visibleConstructor;
    this.sealedCodes[row] = result ? 2 : 1;
    return result;
  }

  /** A type's visibility as API, which needs its enclosing type's (outermost first). */
  private typeVisibility(row: number, depth = 0): Visibility {
    if (this.visibilityCodes[row]) {
      return VISIBILITIES[this.visibilityCodes[row] - 1];
    }
    const flags = this.md.cell(T.TypeDef, row, 0) & 7;
    const outer = this.enclosingOf(row);
    let visibility: Visibility;
    if (outer === undefined) {
      visibility = flags === 1 ? 'public' : 'hidden';
    } else if (depth > MAX_SIGNATURE_DEPTH || this.typeVisibility(outer, depth + 1) === 'hidden') {
      visibility = 'hidden';
    } else {
      const own = flags === 2 ? 'public' : flags === 4 ? 'protected' : flags === 7 ? 'protected internal' : 'hidden';
      visibility = own === 'public' || own === 'hidden' || !this.isEffectivelySealed(outer) ? own : 'hidden';
    }
    this.visibilityCodes[row] = VISIBILITIES.indexOf(visibility) + 1;
    return visibility;
  }

  /** Every base interface, in Roslyn's GetAllBaseInterfaces order: the type's own (each with its bases), then its base types'. */
  private allInterfaces(row: number): readonly ApiType['interfaces'][number][] {
    const found: ApiType['interfaces'][number][] = [];
    const interfaces = this.interfacesOf;
    for (let index = interfaces.first(row); index < interfaces.end(row); index++) {
      this.walkInterface(interfaces.value(index), 0, found);
    }
    let current: number | undefined = row;
    for (let guard = 0; guard < MAX_SIGNATURE_DEPTH && current !== undefined; guard++) {
      const base = this.localDefinition(this.extendsOf(current));
      if (base === undefined) {
        break;
      }
      for (let index = interfaces.first(base); index < interfaces.end(base); index++) {
        this.walkInterface(interfaces.value(index), 1, found);
      }
      current = base;
    }
    return compact(found);
  }

  private walkInterface(coded: number, level: number, found: ApiType['interfaces'][number][]): void {
    const name = this.typeReference(coded);
    if (!name || level > MAX_SIGNATURE_DEPTH) {
      return;
    }
    const local = this.localDefinition(coded);
    found.push(local !== undefined ? { name, visible: this.typeVisibility(local) !== 'hidden', definition: this.typeIds[local] } : { name, visible: true });
    if (local !== undefined) {
      for (let index = this.interfacesOf.first(local); index < this.interfacesOf.end(local); index++) {
        this.walkInterface(this.interfacesOf.value(index), level + 1, found);
      }
    }
  }

  /**
   * A property's or event's facts from its accessors (Roslyn reads them so): the widest visibility
   * of the visible ones; abstract, virtual, override if any accessor is. None when no accessor is
   * visible (then no signature is decoded).
   */
  private fromAccessors(accessors: RowLists, owner: number, row: number, name: string, isInterface: boolean, sealedType: boolean): { widest: Visibility; bits: number } | undefined {
    const first = accessors.first(owner);
    const end = accessors.end(owner);
    let anyVisible = false;
    for (let index = first; index < end && !anyVisible; index++) {
      anyVisible = memberVisibility(this.md.cell(T.MethodDef, accessors.value(index), 2) & 7, sealedType) !== 'hidden';
    }
    if (!anyVisible) {
      return undefined;
    }
    let widest: Visibility = 'hidden';
    let bits = 0;
    for (let index = first; index < end; index++) {
      const part = this.methodOf(accessors.value(index), row, name, isInterface);
      if (memberVisibility(part.access, sealedType) !== 'hidden' && VISIBILITY_RANK[part.visibility] > VISIBILITY_RANK[widest]) {
        widest = part.visibility;
      }
      bits |= (part.isStatic ? STATIC : 0) | (part.isAbstract ? ABSTRACT : 0) | (part.isVirtual ? VIRTUAL : 0) | (part.isOverride ? OVERRIDE : 0);
    }
    return { widest, bits };
  }

  /** A visible type's members by key: methods, fields, properties and events visible outside the assembly. */
  private membersOf(row: number, name: string, isInterface: boolean, sealedType: boolean): MemberTable {
    const md = this.md;
    const members = new MemberTable();
    const methodsEnd = this.methodEnd(row);
    for (let method = this.methodStart(row); method < methodsEnd; method++) {
      // The access flags first: a hidden method's signature is never decoded.
      const visible = memberVisibility(md.cell(T.MethodDef, method, 2) & 7, sealedType);
      if (visible === 'hidden') {
        continue;
      }
      const facts = this.methodOf(method, row, name, isInterface);
      // Unspeakable compiler-generated names (a record's <Clone>$) are not API ApiCompat maps.
      if (!facts.name.startsWith('<')) {
        members.set(facts.visibility === visible ? facts : facts.withVisibility(visible));
      }
    }
    const fieldEnd = this.rangeEnd(T.TypeDef, 4, row, T.Field);
    for (let field = md.cell(T.TypeDef, row, 4); field < fieldEnd; field++) {
      const fieldFlags = md.cell(T.Field, field, 0);
      const visible = memberVisibility(fieldFlags & 7, sealedType);
      // RTSpecialName: an enum's value__ holds its underlying type, which Roslyn does not show as a member.
      if (visible === 'hidden' || (fieldFlags & 0x400) !== 0) {
        continue;
      }
      const fieldName = md.string(md.cell(T.Field, field, 1));
      const ownName = fieldName.replace(/\./g, '#');
      const type = this.fieldType(md.cell(T.Field, field, 2));
      members.set(new DataMember('field', name, ownName, fieldName, visible, (fieldFlags & 0x10) !== 0 ? STATIC : 0, type));
    }
    for (let property = this.propertyRange.first[row]; property < this.propertyRange.end[row]; property++) {
      const facts = this.fromAccessors(this.propertyAccessors, property, row, name, isInterface, sealedType);
      if (!facts) {
        continue;
      }
      const propertyName = md.string(md.cell(T.Property, property, 1));
      const signature = this.decodeSignature(md.cell(T.Property, property, 2));
      const ownName = flat(`${propertyName.replace(/\./g, '#')}${signature.parameters.length > 0 ? `(${signature.parameters.join(',')})` : ''}`);
      members.set(new DataMember('property', name, ownName, propertyName, facts.widest, facts.bits, ''));
    }
    for (let event = this.eventRange.first[row]; event < this.eventRange.end[row]; event++) {
      const facts = this.fromAccessors(this.eventAccessors, event, row, name, isInterface, sealedType);
      if (!facts) {
        continue;
      }
      const eventName = md.string(md.cell(T.Event, event, 1));
      const ownName = eventName.replace(/\./g, '#');
      members.set(new DataMember('event', name, ownName, eventName, facts.widest, facts.bits, ''));
    }
    return members;
  }

  public build(): ApiSurface {
    const types = new Map<string, ApiType>();
    for (let row = 1; row <= this.typeCount; row++) {
      const name = this.typeDefName(row);
      const typeId = this.typeIds[row];
      const flags = this.md.cell(T.TypeDef, row, 0);
      const visibility = this.typeVisibility(row);
      const isInterface = (flags & 0x20) !== 0;
      const enclosingRow = this.enclosingOf(row);
      const enclosing = enclosingRow !== undefined ? this.typeIds[enclosingRow] : undefined;
      if (visibility === 'hidden') {
        // Not API: kept only as a base type others may name (internal types are most of a large assembly).
        types.set(typeId, new SurfaceType(typeId, name, isInterface ? 'interface' : 'class', visibility, (flags & 0x100) !== 0, true, NONE, NONE, NONE, NO_MEMBERS, enclosing, NONE, row, this));
        continue;
      }
      const kind = this.kindOf(row);
      const sealedType = this.isEffectivelySealed(row);
      const members = this.membersOf(row, name, isInterface, sealedType);
      const chain = isInterface ? { names: NONE, definitions: NONE } : this.baseChain(row);
      const interfaces = this.allInterfaces(row);
      const baseDefinitions = isInterface ? interfaces.flatMap((entry) => (entry.definition ? [entry.definition] : [])) : chain.definitions;
      types.set(typeId, new SurfaceType(typeId, name, kind, visibility, (flags & 0x100) !== 0, sealedType, chain.names, baseDefinitions, interfaces, members, enclosing, this.constraintsFor(row << 1), row, this));
    }
    return { types };
  }
}


/** A small number (0-255) per table row, or none: typed, so tens of thousands of rows cost no hash table. */
class RowValues {
  private readonly values: Uint16Array;

  public constructor(rows: number) {
    this.values = new Uint16Array(rows + 1);
  }

  public get(row: number): number | undefined {
    const stored = this.values[row];
    return stored ? stored - 1 : undefined;
  }

  /** Rows outside the table (crafted metadata) are never asked for, so they are not kept. */
  public set(row: number, value: number): void {
    if (row >= 1 && row < this.values.length) {
      this.values[row] = value + 1;
    }
  }
}

/**
 * The C# compiler's nullable metadata: NullableAttribute on generic parameters, and
 * NullableContextAttribute on methods and types (the default for what has no attribute of its own).
 */
interface NullableValues {
  readonly genericParam: RowValues;
  readonly methodContext: RowValues;
  readonly typeContext: RowValues;
  readonly typeOfMethod: (method: number) => number | undefined;
}

function nullableValues(md: Metadata, typeDefName: (row: number) => string): NullableValues {
  const genericParam = new RowValues(md.rows(T.GenericParam));
  const methodContext = new RowValues(md.rows(T.MethodDef));
  const typeContext = new RowValues(md.rows(T.TypeDef));
  const starts = Uint32Array.from({ length: md.rows(T.TypeDef) }, (_, index) => md.cell(T.TypeDef, index + 1, 5));
  const typeOfMethod = (method: number): number | undefined => {
    let low = 0;
    let high = starts.length - 1;
    let found: number | undefined;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (starts[middle] <= method) {
        found = middle + 1;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  };
  // What each attribute constructor (a CustomAttributeType coded index: a MethodDef or MemberRef)
  // makes: a typed cache, as tens of thousands of attributes name a few hundred constructors.
  const OTHER = 1;
  const NULLABLE = 2;
  const NULLABLE_CONTEXT = 3;
  const kinds = new Int8Array((Math.max(md.rows(T.MethodDef), md.rows(T.MemberRef)) + 1) << 3); // 0: not yet
  const kindOfName = (namespace: string, name: string): number => (namespace !== 'System.Runtime.CompilerServices' ? OTHER : name === 'NullableAttribute' ? NULLABLE : name === 'NullableContextAttribute' ? NULLABLE_CONTEXT : OTHER);
  const kindOfFullName = (fullName: string | undefined): number => (fullName === 'System.Runtime.CompilerServices.NullableAttribute' ? NULLABLE : fullName === 'System.Runtime.CompilerServices.NullableContextAttribute' ? NULLABLE_CONTEXT : OTHER);
  const uncachedKind = (type: number): number => {
    const row = type >>> 3;
    if ((type & 7) === 2) {
      const owner = typeOfMethod(row);
      return kindOfFullName(owner !== undefined ? typeDefName(owner) : undefined);
    }
    if ((type & 7) === 3) {
      const parent = md.cell(T.MemberRef, row, 0);
      if ((parent & 7) === 0) {
        return kindOfFullName(typeDefName(parent >>> 3));
      }
      if ((parent & 7) === 1) {
        const ref = parent >>> 3;
        return kindOfName(md.string(md.cell(T.TypeRef, ref, 2)), md.string(md.cell(T.TypeRef, ref, 1)));
      }
    }
    return OTHER;
  };
  const attributeKind = (type: number): number => {
    if (type >= kinds.length) {
      return uncachedKind(type);
    }
    if (kinds[type] === 0) {
      kinds[type] = uncachedKind(type);
    }
    return kinds[type];
  };
  /** The first byte of the argument: a single byte (prolog, byte, named-argument count), or the first of a byte array (prolog, count, bytes). */
  const firstByte = (blobIndex: number): number | undefined => {
    const at = md.blobCursor(blobIndex);
    const length = at.remaining();
    return length === 5 ? at.bytes[at.offset + 2] : length > 6 ? at.bytes[at.offset + 6] : undefined;
  };
  for (let row = 1; row <= md.rows(T.CustomAttribute); row++) {
    const parent = md.cell(T.CustomAttribute, row, 0);
    const tag = parent & 0x1f;
    if (tag !== 0 && tag !== 3 && tag !== 19) {
      continue;
    }
    const kind = attributeKind(md.cell(T.CustomAttribute, row, 1));
    if (tag === 19 && kind === NULLABLE) {
      const value = firstByte(md.cell(T.CustomAttribute, row, 2));
      if (value !== undefined) {
        genericParam.set(parent >>> 5, value);
      }
    } else if (tag !== 19 && kind === NULLABLE_CONTEXT) {
      const value = firstByte(md.cell(T.CustomAttribute, row, 2));
      if (value !== undefined) {
        (tag === 0 ? methodContext : typeContext).set(parent >>> 5, value);
      }
    }
  }
  return { genericParam, methodContext, typeContext, typeOfMethod };
}
