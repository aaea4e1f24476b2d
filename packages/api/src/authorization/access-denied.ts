import type { ServiceError } from '@riffle/wire';
import { kinesisError } from '../errors/kinesis-error.js';
import * as messages from '../errors/messages.js';
import type { AccessDeniedReason } from './evaluate-policies.js';

const texts: Readonly<Record<AccessDeniedReason, (principal: string, action: string, resource: string) => string>> = {
  'no-identity-policy-allows': messages.accessDeniedNoIdentityPolicy,
  'explicit-deny-in-identity-policy': messages.accessDeniedExplicitDenyInIdentityPolicy,
  'explicit-deny-in-resource-policy': messages.accessDeniedExplicitDenyInResourcePolicy,
  'no-resource-policy-allows': messages.accessDeniedNoResourcePolicy,
};

/** AWS's AccessDeniedException text for a denied check: who, what, on which resource, and why. */
export function accessDeniedMessage(principalArn: string, check: { action: string; resource: string }, reason: AccessDeniedReason): string {
  return texts[reason](principalArn, check.action, check.resource);
}

/** The AccessDeniedException (HTTP 400, as Kinesis returns it) for a denied check. */
export function accessDeniedError(principalArn: string, check: { action: string; resource: string }, reason: AccessDeniedReason): ServiceError {
  return kinesisError('AccessDeniedException', accessDeniedMessage(principalArn, check, reason));
}
