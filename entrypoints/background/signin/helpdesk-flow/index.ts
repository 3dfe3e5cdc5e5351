import type { SigninShared } from '../shared';

export function installHelpdeskFlowPicker(_shared: SigninShared): void {}
