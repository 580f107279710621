import { builder } from './builder.ts';
import { OCR_ERROR_CODES } from '../outcome.ts';

// Enums only for closed sets; each card value outside them stays readable in `KtpIdentity.raw`.
// Prefixed with `Ktp` so that they compose beside other subgraphs' `Gender` or `Religion` (0.2.0).

export const GenderEnum = builder.enumType('KtpGender', {
  description: '`Jenis Kelamin`: `LAKI-LAKI` → MALE, `PEREMPUAN` → FEMALE.',
  values: ['MALE', 'FEMALE'] as const,
});

export const ReligionEnum = builder.enumType('KtpReligion', {
  description: '`Agama`, with spelling variants folded (KATHOLIK → KATOLIK, BUDHA → BUDDHA, KHONGHUCU → KONGHUCU).',
  values: {
    ISLAM: {},
    KRISTEN: {},
    KATOLIK: {},
    HINDU: {},
    BUDDHA: {},
    KONGHUCU: {},
    KEPERCAYAAN: { description: '`KEPERCAYAAN TERHADAP TUHAN YME`' },
  } as const,
});

export const MaritalStatusEnum = builder.enumType('KtpMaritalStatus', {
  description: '`Status Perkawinan`.',
  values: ['BELUM_KAWIN', 'KAWIN', 'CERAI_HIDUP', 'CERAI_MATI'] as const,
});

export const NationalityEnum = builder.enumType('KtpNationality', {
  description: '`Kewarganegaraan`: WNI (Indonesian citizen) or WNA (foreign national).',
  values: ['WNI', 'WNA'] as const,
});

export const OcrErrorCodeEnum = builder.enumType('OcrErrorCode', {
  description:
    'The paid API\'s statuses verbatim, plus UPSTREAM_UNAVAILABLE when no trustworthy answer could be had (timeout, connection failure, non-JSON or unknown answer, open circuit, missing configuration), and RATE_LIMITED / QUOTA_EXCEEDED when the calling client is over its requests per minute or its paid calls per day (free, retryable, with `retryAfterSeconds`).',
  values: OCR_ERROR_CODES,
});
