/**
 * Fake Bluetooth bindings for the real noble (`@abandonware/noble/with-bindings`): the same
 * events and methods as noble's HCI bindings, driven by the test instead of an adapter.
 */
import { EventEmitter } from 'node:events';

export interface FakeGattDevice {
  /** Whether connect() ever answers: a sensor out of range never does. */
  answers: boolean;
  /** Services and characteristics (uuids without dashes, lowercase) and their values. */
  characteristics: Record<string, Record<string, Buffer>>;
  /** 'notify': values only come as notifications after subscribing, reads are never answered. */
  delivers?: 'read' | 'notify';
}

export class FakeNobleBindings extends EventEmitter {
  scanning = false;
  readonly calls: string[] = [];
  readonly devices = new Map<string, FakeGattDevice>();

  constructor(
    private readonly initialState = 'poweredOn',
    /** An error init() throws, as the HCI bindings do when the adapter does not exist. */
    private readonly initError?: Error,
  ) {
    super();
  }

  init(): void {
    this.calls.push('init');
    if (this.initError) throw this.initError;
    process.nextTick(() => this.emit('stateChange', this.initialState));
  }

  setState(state: string): void {
    if (state !== 'poweredOn') this.scanning = false;
    this.emit('stateChange', state);
  }

  startScanning(_uuids: string[], allowDuplicates: boolean): void {
    this.calls.push(`startScanning:${allowDuplicates}`);
    this.scanning = true;
    process.nextTick(() => this.emit('scanStart', !allowDuplicates));
  }

  stopScanning(): void {
    this.calls.push('stopScanning');
    this.scanning = false;
    process.nextTick(() => this.emit('scanStop'));
  }

  setScanParameters(): void {}
  reset(): void {}
  updateRssi(): void {}

  /** An advert from `address` ("a4:c1:38:..") carrying service data entries. */
  advertise(address: string, serviceData: { uuid: string; data: Buffer }[], rssi = -60): void {
    const id = address.replace(/:/g, '').toLowerCase();
    this.emit(
      'discover',
      id,
      address.toLowerCase(),
      'public',
      true,
      { localName: undefined, serviceData, serviceUuids: [] },
      rssi,
      true,
    );
  }

  connect(id: string): void {
    this.calls.push(`connect:${id}`);
    const device = this.devices.get(id);
    if (!device?.answers) return;
    process.nextTick(() => this.emit('connect', id, null));
  }

  cancelConnect(id: string): void {
    this.calls.push(`cancelConnect:${id}`);
  }

  disconnect(id: string): void {
    this.calls.push(`disconnect:${id}`);
    process.nextTick(() => this.emit('disconnect', id, 0x13));
  }

  discoverServices(id: string, uuids: string[]): void {
    const device = this.devices.get(id);
    const found = Object.keys(device?.characteristics ?? {}).filter(
      (u) => uuids.length === 0 || uuids.includes(u),
    );
    process.nextTick(() => this.emit('servicesDiscover', id, found));
  }

  discoverCharacteristics(id: string, service: string, uuids: string[]): void {
    const chars = Object.keys(this.devices.get(id)?.characteristics[service] ?? {}).filter(
      (u) => uuids.length === 0 || uuids.includes(u),
    );
    process.nextTick(() =>
      this.emit(
        'characteristicsDiscover',
        id,
        service,
        chars.map((uuid) => ({ uuid, properties: ['read', 'notify'] })),
      ),
    );
  }

  read(id: string, service: string, characteristic: string): void {
    this.calls.push(`read:${id}`);
    const device = this.devices.get(id);
    const value = device?.characteristics[service]?.[characteristic];
    if (value && device?.delivers !== 'notify')
      process.nextTick(() => this.emit('read', id, service, characteristic, value, false));
  }

  notify(id: string, service: string, characteristic: string, enable: boolean): void {
    this.calls.push(`notify:${id}:${enable}`);
    const device = this.devices.get(id);
    const value = device?.characteristics[service]?.[characteristic];
    process.nextTick(() => {
      this.emit('notify', id, service, characteristic, enable);
      if (enable && value && device?.delivers === 'notify') {
        setTimeout(() => this.emit('read', id, service, characteristic, value, true), 5);
      }
    });
  }
}
