import type { EventEmitter } from 'node:events';

/** The parts of @abandonware/noble this exporter uses (noble ships loose typings). */
export interface NobleServiceData {
  uuid: string;
  data: Buffer;
}

/** Emits 'data' (value, isNotification) for read responses and notifications alike. */
export interface NobleCharacteristic extends EventEmitter {
  uuid: string;
  read(callback?: (error: Error | null, data: Buffer) => void): void;
  subscribe(callback?: (error: Error | null) => void): void;
}

export interface NoblePeripheral extends EventEmitter {
  id: string;
  /** "a4:c1:38:12:34:56" */
  address: string;
  rssi: number;
  state: string;
  advertisement: { serviceData?: NobleServiceData[]; localName?: string };
  connect(callback: (error?: Error | null) => void): void;
  cancelConnect(): void;
  disconnect(callback?: () => void): void;
  discoverSomeServicesAndCharacteristics(
    serviceUuids: string[],
    characteristicUuids: string[],
    callback: (
      error: unknown,
      services: unknown[] | null,
      characteristics: NobleCharacteristic[] | null,
    ) => void,
  ): void;
}

export interface Noble extends EventEmitter {
  startScanning(
    serviceUuids: string[],
    allowDuplicates: boolean,
    callback?: (error?: Error | null) => void,
  ): void;
  stopScanning(callback?: () => void): void;
}

/** Creates noble for an adapter number (hciN); throws when the host has no usable Bluetooth. */
export type NobleLoader = (adapter: number) => Noble;
