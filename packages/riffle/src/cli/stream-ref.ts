/** A stream as the user named it: `arn:…` goes as StreamARN, anything else as StreamName (the API takes either). */
export type StreamRef = { readonly StreamName: string; readonly StreamARN?: undefined } | { readonly StreamARN: string; readonly StreamName?: undefined };

export const streamRef = (nameOrArn: string): StreamRef => (nameOrArn.startsWith('arn:') ? { StreamARN: nameOrArn } : { StreamName: nameOrArn });
