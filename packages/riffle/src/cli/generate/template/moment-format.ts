const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Moment.js's defaults (KDG formats dates with moment): `moment().format()` and `moment().utc().format()`. */
export const MOMENT_DEFAULT_FORMAT = 'YYYY-MM-DDTHH:mm:ssZ';
export const MOMENT_DEFAULT_UTC_FORMAT = 'YYYY-MM-DDTHH:mm:ss[Z]';

const pad = (n: number, width = 2) => String(Math.abs(Math.trunc(n))).padStart(width, '0');

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function offset(minutesEast: number, separator: string): string {
  const sign = minutesEast < 0 ? '-' : '+';
  const abs = Math.abs(minutesEast);
  return `${sign}${pad(Math.floor(abs / 60))}${separator}${pad(abs % 60)}`;
}

/** The tokens of moment's format strings that KDG templates use; longest first so that `MMMM` wins over `MM`. */
const TOKENS = /\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|Do|DD|D|dddd|ddd|dd|d|HH|H|hh|h|mm|m|ss|s|SSS|SS|S|A|a|ZZ|Z|X|x/g;

/**
 * Formats a time with a moment.js format string (the subset of tokens above; other characters are kept, `[text]` is
 * literal), in UTC or in the machine's time zone as moment does.
 */
export function formatMoment(timestampMs: number, format: string, utc: boolean): string {
  const d = new Date(timestampMs);
  const year = utc ? d.getUTCFullYear() : d.getFullYear();
  const month = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const weekday = utc ? d.getUTCDay() : d.getDay();
  const hours = utc ? d.getUTCHours() : d.getHours();
  const minutes = utc ? d.getUTCMinutes() : d.getMinutes();
  const seconds = utc ? d.getUTCSeconds() : d.getSeconds();
  const millis = d.getUTCMilliseconds();
  const minutesEast = utc ? 0 : -d.getTimezoneOffset();
  const hours12 = hours % 12 === 0 ? 12 : hours % 12;
  return format.replace(TOKENS, (token, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (token) {
      case 'YYYY': return pad(year, 4);
      case 'YY': return pad(year % 100);
      case 'MMMM': return MONTHS[month]!;
      case 'MMM': return MONTHS[month]!.slice(0, 3);
      case 'MM': return pad(month + 1);
      case 'M': return String(month + 1);
      case 'Do': return ordinal(day);
      case 'DD': return pad(day);
      case 'D': return String(day);
      case 'dddd': return WEEKDAYS[weekday]!;
      case 'ddd': return WEEKDAYS[weekday]!.slice(0, 3);
      case 'dd': return WEEKDAYS[weekday]!.slice(0, 2);
      case 'd': return String(weekday);
      case 'HH': return pad(hours);
      case 'H': return String(hours);
      case 'hh': return pad(hours12);
      case 'h': return String(hours12);
      case 'mm': return pad(minutes);
      case 'm': return String(minutes);
      case 'ss': return pad(seconds);
      case 's': return String(seconds);
      case 'SSS': return pad(millis, 3);
      case 'SS': return pad(Math.floor(millis / 10));
      case 'S': return String(Math.floor(millis / 100));
      case 'A': return hours < 12 ? 'AM' : 'PM';
      case 'a': return hours < 12 ? 'am' : 'pm';
      case 'ZZ': return offset(minutesEast, '');
      case 'Z': return offset(minutesEast, ':');
      case 'X': return String(Math.floor(timestampMs / 1000));
      case 'x': return String(timestampMs);
      default: return token;
    }
  });
}
