'use client';
import { useEffect, useState } from 'react';
import { getSocket } from '../socket';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'refused';

/** The socket's link state for the header indicator; an expired session sends the user to /login. */
export function useConnection(): { status: ConnectionStatus; message: string | null } {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    const socket = getSocket();
    const onConnect = () => {
      setStatus('connected');
      setMessage(null);
    };
    const onDisconnect = () => setStatus('reconnecting');
    const onError = (err: Error & { data?: { code?: string; message?: string } }) => {
      const code = err.data?.code;
      if (code === 'UNAUTHORIZED') {
        setStatus('unauthorized');
        window.location.assign('/login');
        return;
      }
      if (code === 'FORBIDDEN') {
        setStatus('refused');
        setMessage(err.data?.message ?? 'Connection refused');
        return;
      }
      setStatus((s) => (s === 'connected' ? 'reconnecting' : s === 'connecting' ? 'connecting' : 'reconnecting'));
    };
    const onRevoked = ({ reason }: { reason: string }) => {
      setStatus('refused');
      setMessage(reason);
      window.location.assign('/login');
    };
    if (socket.connected) onConnect();
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onError);
    socket.on('session:revoked', onRevoked);
    return () => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onError);
      socket.off('session:revoked', onRevoked);
    };
  }, []);

  return { status, message };
}
