import { describe, expect, it } from 'vitest';
import { fieldOfCloudError, stepOfField } from '../../renderer/src/wizard/rules.js';

describe('the field a cloud refusal is about ("Edit and publish again" opens it)', () => {
  it('is named by the code when the code names a parameter', () => {
    expect(fieldOfCloudError('iot.ota.AlreadyExistedFirmwareName')).toBe('FirmwareName');
    expect(fieldOfCloudError('iot.ota.ModuleNotExist', 'whatever FirmwareName says')).toBe('ModuleName');
    expect(fieldOfCloudError('iot.prod.NotExistedProduct')).toBe('ProductKey');
  });

  it('is the one parameter a generic code names in its message', () => {
    expect(fieldOfCloudError('InvalidParameter', 'The parameter DestVersion is invalid.')).toBe(
      'DestVersion',
    );
    expect(fieldOfCloudError('iot.common.InvalidFormattedParameter', 'Udi is not valid JSON')).toBe('Udi');
    expect(stepOfField(fieldOfCloudError('InvalidParameter', 'SrcVersion is required') ?? '')).toBe('type');
  });

  it('is none when the message names no parameter, or several', () => {
    expect(fieldOfCloudError('iot.system.SystemException', 'A system exception occurred.')).toBeUndefined();
    expect(fieldOfCloudError('InvalidParameter', 'FirmwareName and DestVersion conflict')).toBeUndefined();
  });
});
