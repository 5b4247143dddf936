import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { describeStorageContract } from './storage-contract.js';

describeStorageContract('MemoryStorage', async () => {
  const storage = new MemoryStorage();
  return { storage, cleanup: () => storage.stop() };
});
