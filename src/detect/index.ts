// Public API of the detection engine (pure: no I/O).
export { parseProfile } from './profile-validate.js';
export { ProfileError } from './profile-error.js';
export { compileProfile, type CompiledProfile } from './profile-compile.js';
export { detectFindings, profilesFor } from './engine.js';
export { decodeContentEncoding, type ContentDecodeResult } from './decode-content-encoding.js';
export { decodedLayers, type DecodedLayer } from './decoded-layers.js';
