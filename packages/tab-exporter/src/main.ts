#!/usr/bin/env node
import { runExporterMain } from '@motley/exporter-kit';
import { definition } from './exporter.js';

runExporterMain(definition);
