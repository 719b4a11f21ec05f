import { setFlagsFromString } from 'node:v8';

// Whether V8 keeps an object's properties in its fast layout or has turned it into a dictionary
// (which an object that loses a property by `delete` becomes): V8's own test intrinsic, compiled
// after the flag allows it. The flag only lets code parsed from now on use `%` intrinsics.
setFlagsFromString('--allow-natives-syntax');

export const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
