import nedbModule from '@seald-io/nedb';

// The package's typings declare `export default`, but it is CommonJS with `module.exports = Datastore`:
// under NodeNext the default import is the class itself at run time and the typings' namespace at
// compile time. Accept both shapes so tsx, vitest and Node agree.
type NedbClass = typeof nedbModule.default;
const moduleValue = nedbModule as unknown as NedbClass & { default?: NedbClass };
export const Datastore: NedbClass = moduleValue.default ?? moduleValue;
export type Datastore = InstanceType<NedbClass>;
