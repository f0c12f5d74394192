export { AuthFailure } from './auth-failure';
export { tokenFingerprint } from './fingerprint';
export { createJwtAuthenticator, WEAK_SECRET_CODE } from './jwt-authenticator';
export type { JwtAlgorithm, KeyInput } from './key-material';
export { JWT_ALGORITHMS, MIN_HMAC_SECRET_BYTES } from './key-material';
export type { JwtAuthenticatorOptions } from './options';
export { DEFAULT_JWT_OPTIONS } from './options';
export type {
  ClaimRoomPolicyOptions,
  PolicyClient,
  PolicyJoinRequest,
  RoomMatch,
  RoomPolicy,
  UserRoomPolicyOptions,
} from './room-policies';
export {
  claimRoomPolicy,
  composePolicies,
  DEFAULT_CLAIM_ROOM_POLICY_OPTIONS,
  userRoomPolicy,
} from './room-policies';
export type { SignTokenOptions } from './sign-token';
export { DEFAULT_SIGN_OPTIONS, signToken } from './sign-token';
