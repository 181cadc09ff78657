/*
 * Confab shim: the subset of the libsrtp 3 API (versatica/libsrtp v3.0.0-beta) that mediasoup-worker
 * 3.27.x calls, implemented on libsrtp2 2.5 (Debian's source, built with OpenSSL crypto by
 * ../../libsrtp.sh). C++ only: mediasoup includes <srtp.h> from
 * C++ sources (DepLibSRTP.hpp, SrtpSession.hpp), so the libsrtp 3 signatures are C++ overloads of the
 * libsrtp2 C functions, which keep their C linkage and symbol names.
 *
 * What differs in libsrtp 3, and how it is mapped:
 *  - srtp_{un,}protect{,_rtcp}(ctx, in, in_len, out, &out_len[, mki_index]) take size_t lengths and
 *    separate in/out buffers; libsrtp2 works in place with int lengths: copy in -> out, then work on out.
 *  - srtp_policy_t is an opaque handle filled by srtp_policy_create/set_xxx/add_key/destroy and
 *    passed by value to srtp_create(); libsrtp2 has a plain struct of that name (renamed away below).
 *  - srtp_stream_remove (libsrtp2: srtp_remove_stream).
 *  - new error codes srtp_err_status_buffer_small / srtp_err_status_cryptex_err.
 * Only what mediasoup uses is supported: one master key, no MKI.
 */
#ifndef CONFAB_SHIM_SRTP3_H
#define CONFAB_SHIM_SRTP3_H

/* Free the name srtp_policy_t for libsrtp 3's handle type. Only the struct/typedef name changes;
 * libsrtp2's functions are extern "C", so their symbols are unaffected. */
#define srtp_policy_t srtp2_policy_struct_t
#include <srtp2/srtp.h>
#undef srtp_policy_t

#ifdef __cplusplus
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

/* libsrtp2's enum ends at srtp_err_status_pkt_idx_adv = 27; libsrtp 3 adds these two. */
#define srtp_err_status_buffer_small (static_cast<srtp_err_status_t>(28))
#define srtp_err_status_cryptex_err (static_cast<srtp_err_status_t>(29))

namespace confab_srtp3
{
	using op_t = srtp_err_status_t (*)(srtp_t, void*, int*);

	/* libsrtp2 may write up to SRTP_MAX_TRAILER_LEN (+4 for the SRTCP index) after the packet. */
	inline srtp_err_status_t run(
	  srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t room, op_t op)
	{
		if (!in || !out || !outLen || inLen > static_cast<size_t>(INT_MAX))
			return srtp_err_status_bad_param;
		if (*outLen < inLen + room)
			return srtp_err_status_buffer_small;
		if (out != in)
			std::memmove(out, in, inLen);

		int len                      = static_cast<int>(inLen);
		const srtp_err_status_t err = op(ctx, out, &len);
		if (err == srtp_err_status_ok)
			*outLen = static_cast<size_t>(len);
		return err;
	}
} // namespace confab_srtp3

/* mki_index is ignored: mediasoup never enables MKI (libsrtp 3 ignores it too in that case). */
inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t /*mki_index*/)
{
	return confab_srtp3::run(ctx, rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN, &::srtp_protect);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return confab_srtp3::run(ctx, srtp, srtpLen, rtp, rtpLen, 0, &::srtp_unprotect);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t /*mki_index*/)
{
	return confab_srtp3::run(ctx, rtcp, rtcpLen, srtcp, srtcpLen, SRTP_MAX_TRAILER_LEN + 4, &::srtp_protect_rtcp);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return confab_srtp3::run(ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0, &::srtp_unprotect_rtcp);
}

/* ssrc is in network byte order in both versions. */
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

/* ---- libsrtp 3 policy object, backed by a libsrtp2 policy struct. ---- */
struct confab_srtp3_policy
{
	srtp2_policy_struct_t policy{};     /* zero-initialized: no MKI, no extension header encryption */
	std::vector<unsigned char> keySalt; /* libsrtp2 wants master key || master salt in one buffer */
};
typedef confab_srtp3_policy* srtp_policy_t;

inline srtp_err_status_t srtp_policy_create(srtp_policy_t* policy)
{
	if (!policy)
		return srtp_err_status_bad_param;
	*policy = new (std::nothrow) confab_srtp3_policy();
	return *policy ? srtp_err_status_ok : srtp_err_status_alloc_fail;
}

inline void srtp_policy_destroy(srtp_policy_t policy)
{
	delete policy;
}

inline srtp_err_status_t srtp_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc)
{
	if (!policy)
		return srtp_err_status_bad_param;
	policy->policy.ssrc = ssrc;
	return srtp_err_status_ok;
}

/* For aes128_cm_sha1_32, libsrtp2 (like libsrtp 3) keeps HMAC-SHA1-80 for RTCP, as RFC 3711 requires. */
inline srtp_err_status_t srtp_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile)
{
	if (!policy)
		return srtp_err_status_bad_param;
	const srtp_err_status_t err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->policy.rtp, profile);
	if (err != srtp_err_status_ok)
		return err;
	return srtp_crypto_policy_set_from_profile_for_rtcp(&policy->policy.rtcp, profile);
}

/* Must follow srtp_policy_set_profile (as in mediasoup): the length check needs the profile. */
inline srtp_err_status_t srtp_policy_add_key(
  srtp_policy_t policy,
  const uint8_t* key,
  size_t keyLen,
  const uint8_t* salt,
  size_t saltLen,
  const uint8_t* mki,
  size_t mkiLen)
{
	if (!policy || !key || keyLen == 0 || (saltLen > 0 && !salt))
		return srtp_err_status_bad_param;
	if (mki || mkiLen > 0 || !policy->keySalt.empty()) /* MKI or a second key: unsupported */
		return srtp_err_status_bad_param;
	/* libsrtp2's cipher_key_len counts key + salt. */
	if (keyLen + saltLen != static_cast<size_t>(policy->policy.rtp.cipher_key_len))
		return srtp_err_status_bad_param;

	policy->keySalt.assign(key, key + keyLen);
	policy->keySalt.insert(policy->keySalt.end(), salt, salt + saltLen);
	policy->policy.key = policy->keySalt.data();
	return srtp_err_status_ok;
}

/*
 * Replay semantics are libsrtp2's own, deliberately not changed here: srtp_protect() runs the
 * sender-side replay database too. With allow_repeat_tx (mediasoup sets it, for NACK
 * retransmissions without RTX) an index already sent *within* the window is accepted again
 * (srtp_err_status_replay_fail is waived), but an index older than the window (1024, set below) is
 * still refused with srtp_err_status_replay_old ("index too old"), since libsrtp cannot know whether
 * it was used: encrypting a different packet under a used index reuses the AES-CM keystream / GCM
 * nonce. Do not bypass it here. The "index too old" warnings seen in Confab came from mediasoup's
 * BWE probe stream (SSRC 1234) jumping back in seq: fixed at the source by
 * patches/0002-ProbationGenerator-per-generator-seq.patch.
 */
inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow)
{
	if (!policy)
		return srtp_err_status_bad_param;
	policy->policy.allow_repeat_tx = allow ? 1 : 0;
	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_window_size(srtp_policy_t policy, size_t windowSize)
{
	/* libsrtp2 accepts 0 (default, 128) or 64 <= size < 0x8000. */
	if (!policy || (windowSize != 0 && (windowSize < 64 || windowSize >= 0x8000)))
		return srtp_err_status_bad_param;
	policy->policy.window_size = static_cast<unsigned long>(windowSize);
	return srtp_err_status_ok;
}

/* libsrtp2 copies the key material into the session, so the caller may destroy the policy afterwards. */
inline srtp_err_status_t srtp_create(srtp_t* session, const srtp_policy_t policy)
{
	if (!session || !policy || policy->keySalt.empty())
		return srtp_err_status_bad_param;
	policy->policy.next = nullptr;
	return ::srtp_create(session, &policy->policy);
}
#endif /* __cplusplus */

#endif /* CONFAB_SHIM_SRTP3_H */
