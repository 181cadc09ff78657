/*
 * Confab shim for ankerl::unordered_dense 4.x (header-only, not packaged in Debian bookworm).
 * mediasoup-worker only uses map<K, V[, Hash, Eq]>, set<K[, Hash, Eq]> and hash<T>, so those are
 * aliased to the standard containers. Differences from the real library, none of which mediasoup
 * relies on: iteration order is unspecified (not insertion order), iterators/references stay valid
 * longer (std semantics), lookups are somewhat slower.
 * hash<T> for integers, enums and pointers mixes the bits (128-bit multiply, like the original):
 * mediasoup combines several hash<uint16_t>/hash<uint32_t> results, and libstdc++'s std::hash for
 * integers is the identity, which would combine poorly.
 */
#ifndef CONFAB_SHIM_ANKERL_UNORDERED_DENSE_H
#define CONFAB_SHIM_ANKERL_UNORDERED_DENSE_H

#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	namespace detail
	{
		inline uint64_t mix(uint64_t x) noexcept
		{
			const __uint128_t r = static_cast<__uint128_t>(x) * UINT64_C(0x9E3779B97F4A7C15);
			return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64U);
		}
	} // namespace detail

	template<typename T, typename Enable = void>
	struct hash : std::hash<T>
	{
	};

	template<typename T>
	struct hash<T, std::enable_if_t<std::is_integral_v<T> || std::is_enum_v<T>>>
	{
		using is_avalanching = void;
		uint64_t operator()(const T& v) const noexcept
		{
			if constexpr (std::is_enum_v<T>)
				return detail::mix(static_cast<uint64_t>(static_cast<std::underlying_type_t<T>>(v)));
			else
				return detail::mix(static_cast<uint64_t>(v));
		}
	};

	template<typename T>
	struct hash<T*>
	{
		using is_avalanching = void;
		uint64_t operator()(T* p) const noexcept
		{
			return detail::mix(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p)));
		}
	};

	template<
	  class Key,
	  class T,
	  class Hash     = hash<Key>,
	  class KeyEqual = std::equal_to<Key>,
	  class Alloc    = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Alloc>;

	template<class Key, class Hash = hash<Key>, class KeyEqual = std::equal_to<Key>, class Alloc = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Alloc>;
} // namespace ankerl::unordered_dense

#endif
