/**
 * Breaking changes between two API surfaces, as ApiCompat's default rules report them in package
 * baseline mode (not strict, no assembly references): the diagnostic id and DocId target of each
 * difference, and the public API that was added. The rules, from dotnet/sdk's
 * Microsoft.DotNet.ApiCompatibility:
 *   CP0001/CP0002 MembersMustExist (types; methods, accessors and fields — properties and events
 *                 through their accessors; overrides and members promoted to a base type excepted)
 *   CP0005 CannotAddAbstractMember   CP0006 CannotAddMemberToInterface
 *   CP0007/CP0008 CannotRemoveBaseTypeOrInterface   CP0009 CannotSealType
 *   CP0012 CannotAddOrRemoveVirtualKeyword (CP0018 for interface members)
 *   CP0019 CannotReduceVisibility    CP0021 CannotChangeGenericConstraints
 * The oracle is the Microsoft.DotNet.ApiCompat.Tool itself (test/integration/apiCompat.test.ts).
 */
import { VISIBILITY_RANK, type ApiMember, type ApiSurface, type ApiType, type GenericConstraints, type Visibility } from './apiSurface';

export interface BreakingChange {
  readonly diagnosticId: string;
  readonly target: string;
}

export interface ApiComparison {
  readonly breaking: BreakingChange[];
  /** DocIds of public API added (types, and members of types that were there before). */
  readonly added: string[];
}

const visible = (item: { visibility: Visibility } | undefined): boolean => item !== undefined && item.visibility !== 'hidden';

/** Roslyn's IsSealed for an interface member, as CP0018 reads it: neither virtual nor abstract. */
const sealedInterfaceMember = (member: ApiMember): boolean => !member.isVirtual && !member.isAbstract;

export function compareApi(left: ApiSurface, right: ApiSurface): ApiComparison {
  const breaking = new Map<string, BreakingChange>();
  const added: string[] = [];
  const report = (diagnosticId: string, target: string): void => {
    breaking.set(`${diagnosticId} ${target}`, { diagnosticId, target });
  };

  const compareType = (leftType: ApiType, rightType: ApiType | undefined): void => {
    if (!visible(rightType)) {
      report('CP0001', leftType.docId);
      return; // what the type held goes with it
    }
    const other = rightType!;
    const leftInterface = leftType.kind === 'interface';
    const rightInterface = other.kind === 'interface';
    if (VISIBILITY_RANK[other.visibility] < VISIBILITY_RANK[leftType.visibility]) {
      report('CP0019', other.docId);
    }
    if (!leftInterface && !rightInterface) {
      // CP0007: the left's immediate base must still be somewhere in the right's base chain.
      const leftBase = leftType.baseTypes[0];
      if (leftBase !== undefined && !other.baseTypes.includes(leftBase)) {
        report('CP0007', other.docId);
      }
      if (!leftType.isEffectivelySealed && other.isEffectivelySealed) {
        report('CP0009', other.docId);
      }
    }
    // CP0008: the first base interface missing on the right (a hidden local interface ends the walk).
    const rightInterfaces = new Set(other.interfaces.map((entry) => entry.name));
    for (const entry of leftType.interfaces) {
      if (!entry.visible) {
        break;
      }
      if (!rightInterfaces.has(entry.name)) {
        report('CP0008', other.docId);
        break;
      }
    }
    compareConstraints(leftType, leftType.constraints, other.constraints, leftType.isSealed, report);

    for (const member of leftType.members.values()) {
      const counterpart = other.members.get(member);
      if (!visible(counterpart)) {
        if (reportsMissing(member, other, right)) {
          report('CP0002', member.docId);
        }
        continue;
      }
      compareMember(member, counterpart!, leftType, other, report);
    }
    for (const member of other.members.values()) {
      if (leftType.members.has(member)) {
        continue;
      }
      if (!member.isAccessor) {
        added.push(member.docId);
      }
      if (!leftInterface && member.isAbstract && !leftType.isEffectivelySealed) {
        report('CP0005', member.docId);
      }
      if (rightInterface && member.kind !== 'field' && !member.isAccessor && (member.isAbstract || member.isStatic)) {
        // No default implementation: every implementer breaks (a static member has none to find).
        report('CP0006', member.docId);
      }
    }
  };

  for (const leftType of left.types.values()) {
    if (!visible(leftType) || (leftType.enclosing && !visible(left.types.get(leftType.enclosing)))) {
      continue;
    }
    // A nested type is compared only while its enclosing type is still there.
    if (leftType.enclosing && !visible(right.types.get(leftType.enclosing))) {
      continue;
    }
    compareType(leftType, right.types.get(leftType.docId));
  }
  for (const rightType of right.types.values()) {
    if (visible(rightType) && !visible(left.types.get(rightType.docId)) && !(rightType.enclosing && !visible(left.types.get(rightType.enclosing)))) {
      added.push(rightType.docId);
    }
  }
  return { breaking: [...breaking.values()].sort((a, b) => a.diagnosticId.localeCompare(b.diagnosticId) || a.target.localeCompare(b.target)), added: added.sort() };
}

/**
 * MembersMustExist: properties and events are reported through their accessors; an override is
 * not reported, nor a method "promoted" to a base type (same name, parameter count, return type and
 * generic arity on a base type this assembly defines).
 */
function reportsMissing(member: ApiMember, rightType: ApiType, right: ApiSurface): boolean {
  if (member.kind === 'property' || member.kind === 'event') {
    return false;
  }
  if (member.kind !== 'method') {
    return true;
  }
  if (member.isOverride) {
    return false;
  }
  if (member.isConstructor) {
    return true;
  }
  // Base types this assembly defines (for an interface: its base interfaces), as far as they go.
  for (const definition of rightType.baseDefinitions) {
    const baseType = right.types.get(definition);
    if (!baseType) {
      break;
    }
    if (baseType.allMethods().some((candidate) => candidate.name === member.name && candidate.parameterCount === member.parameters.length && candidate.returnType === member.returnType && candidate.genericArity === member.genericArity)) {
      return false;
    }
  }
  return true;
}

function compareMember(left: ApiMember, right: ApiMember, leftType: ApiType, rightType: ApiType, report: (id: string, target: string) => void): void {
  if (VISIBILITY_RANK[right.visibility] < VISIBILITY_RANK[left.visibility]) {
    report('CP0019', right.docId);
  }
  if (leftType.kind === 'interface' || rightType.kind === 'interface') {
    if (!sealedInterfaceMember(left) && sealedInterfaceMember(right)) {
      report('CP0018', right.docId);
    }
  } else {
    if (left.isVirtual && !leftType.isEffectivelySealed && !right.isVirtual) {
      report('CP0012', right.docId);
    }
    if (left.isAbstract && !right.isAbstract && !right.isVirtual) {
      report('CP0012', right.docId);
    }
  }
  if (left.kind === 'method' && right.kind === 'method') {
    compareConstraints(left, left.constraints, right.constraints, !left.isVirtual, report);
  }
}

/** CP0021: constraints added, or (where removal could be observed) removed, per type parameter. */
function compareConstraints(owner: { readonly docId: string }, left: readonly GenericConstraints[], right: readonly GenericConstraints[], permitRemoval: boolean, report: (id: string, target: string) => void): void {
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    if (left[index].flags.length + left[index].types.length + right[index].flags.length + right[index].types.length === 0) {
      continue; // no constraint on either side (most type parameters)
    }
    const before = [...left[index].flags, ...left[index].types];
    const after = [...right[index].flags, ...right[index].types];
    for (const constraint of after.filter((item) => !before.includes(item))) {
      report('CP0021', `${owner.docId}\`\`${index}:${constraint}`);
    }
    if (!permitRemoval) {
      for (const constraint of before.filter((item) => !after.includes(item))) {
        report('CP0021', `${owner.docId}\`\`${index}:${constraint}`);
      }
    }
  }
}
