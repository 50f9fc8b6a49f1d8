// English for staying signed in on a device (renderer/session.ts, the sign-in form), spread into en.ts.
export const deviceEn = {
  'device.stay': 'Stay signed in on this device',
  'device.stayHint': 'Until you sign out or the session expires. Leave it unticked on a device others use.',
  'device.resuming': 'Checking whether this device is signed in…',
};
