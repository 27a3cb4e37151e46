import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Permission } from '../../../core/permissions.ts';
import { api, isApiError } from './client.ts';
import type { Me } from './types.ts';

/** The logged-in user, or null when there is no session. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return (await api<{ user: Me }>('/auth/me')).user;
      } catch (e) {
        if (isApiError(e, 'unauthenticated')) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Whether the user holds the permission (the UI hides what the server would refuse anyway). */
export function hasPermission(me: Me | null | undefined, p: Permission): boolean {
  return Boolean(me?.permissions.includes(p));
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => api<{ user: Me }>('/auth/login', { method: 'POST', body }),
    onSuccess: (r) => {
      qc.clear();
      qc.setQueryData(['me'], r.user);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ ok: true }>('/auth/logout', { method: 'POST', body: {} }),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(['me'], null);
    },
  });
}

/** Changes the user's own password; afterwards /me no longer asks for it. */
export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api<{ ok: true }>('/auth/password', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['me'] }),
  });
}
