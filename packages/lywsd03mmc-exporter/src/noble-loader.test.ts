import { describe, expect, it } from 'vitest';
import { explainAdapterState, explainBluetoothError, explainInitWarning } from './noble-loader.js';

describe('Bluetooth error explanations', () => {
  it('tells the user what to do for each failure', () => {
    const err = (code: string) => Object.assign(new Error(`${code}, something`), { code });
    expect(explainBluetoothError(err('EAFNOSUPPORT'), 0)).toContain('this kernel has no Bluetooth support');
    expect(explainBluetoothError(err('ENODEV'), 1)).toContain('no Bluetooth adapter hci1');
    expect(explainBluetoothError(err('EPERM'), 0)).toContain('cap_net_raw,cap_net_admin');
    expect(explainBluetoothError(new Error('odd\nthing'), 0)).toBe('Bluetooth unavailable: odd thing');
    expect(explainAdapterState('poweredOff', 0)).toContain('rfkill unblock bluetooth');
    expect(explainAdapterState('unauthorized', 0)).toContain('cap_net_raw');
  });

  it('turns noble initialisation warnings into the same explanations', () => {
    expect(explainInitWarning('Initialization of USB device failed: ENODEV, No such device', 2)).toContain(
      'no Bluetooth adapter hci2',
    );
    expect(
      explainInitWarning('Initialization of USB device failed: EPERM, Operation not permitted', 0),
    ).toContain('permission denied');
    expect(explainInitWarning('unknown peripheral a4c138000001 connected!', 0)).toBeUndefined();
  });
});
