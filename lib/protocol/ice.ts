/** RTCIceServer as sent to browsers (credentials are short-lived, minted per user). */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}
