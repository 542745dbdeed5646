// Maps a C++ function type to the LLVM IR function type text it must match ("i32 (i32, ptr)").
#ifndef HOTJIT_ENGINE_SIGNATURE_H
#define HOTJIT_ENGINE_SIGNATURE_H

#include <cstdint>
#include <string>
#include <type_traits>

namespace hotjit {
namespace detail {

template <typename T> constexpr const char *irTypeName() {
  using U = std::remove_cv_t<T>;
  if constexpr (std::is_void_v<U>)
    return "void";
  else if constexpr (std::is_same_v<U, bool>)
    return "i1";
  else if constexpr (std::is_pointer_v<U> || std::is_reference_v<U>)
    return "ptr";
  else if constexpr (std::is_same_v<U, float>)
    return "float";
  else if constexpr (std::is_same_v<U, double>)
    return "double";
  else if constexpr (std::is_integral_v<U> && sizeof(U) == 1)
    return "i8";
  else if constexpr (std::is_integral_v<U> && sizeof(U) == 2)
    return "i16";
  else if constexpr (std::is_integral_v<U> && sizeof(U) == 4)
    return "i32";
  else if constexpr (std::is_integral_v<U> && sizeof(U) == 8)
    return "i64";
  else if constexpr (std::is_enum_v<U>)
    return irTypeName<std::underlying_type_t<U>>();
  else
    static_assert(sizeof(U) == 0, "hotjit: only scalar, pointer and void types cross the "
                                  "host/JIT boundary by value");
}

template <typename Sig> struct SignatureOf;
template <typename R, typename... Args> struct SignatureOf<R(Args...)> {
  static std::string text() {
    std::string S = irTypeName<R>();
    S += " (";
    const char *Sep = "";
    ((S += Sep, S += irTypeName<Args>(), Sep = ", "), ...);
    S += ")";
    return S;
  }
};

} // namespace detail

/// The LLVM IR text of the function type matching the C++ signature \p Sig,
/// as llvm::FunctionType::print writes it.
template <typename Sig> std::string signatureText() { return detail::SignatureOf<Sig>::text(); }

} // namespace hotjit

#endif // HOTJIT_ENGINE_SIGNATURE_H
