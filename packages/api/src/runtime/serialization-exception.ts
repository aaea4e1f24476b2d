import { ServiceError } from '@riffle/wire';

/**
 * AWS's Coral framework error for bodies whose values have the wrong type. Not in the model; spelled
 * with a capital-M `Message` member (kinesalite test/helpers.js assertSerialization, recorded from AWS).
 */
export class SerializationException extends ServiceError {
  constructor(message?: string) {
    super('SerializationException', message, { messageKey: 'Message' });
  }
}
