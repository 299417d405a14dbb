// The plugin's dynamic symbol table: the entry point is the only symbol it
// defines for others to see (engine.map, hidden visibility). Read from the
// file's ELF .dynsym, as `nm -D --defined-only` would list it.
#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "kit.h"

namespace jormun::check {
namespace {

// A struct of type T at `offset` of `file`, or a failure naming `what`.
template <typename T>
T read_at(const std::string& file, uint64_t offset, const char* what) {
  if (offset > file.size() || file.size() - offset < sizeof(T))
    throw CheckFailed(std::string("truncated ELF file: ") + what);
  T value;
  std::memcpy(&value, file.data() + offset, sizeof(T));
  return value;
}

// Names of the defined, non-local symbols of the .dynsym of a 64-bit ELF.
std::vector<std::string> exported_symbols(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto header = read_at<Elf64_Ehdr>(file, 0, "header");
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0)
    throw CheckFailed(path + " is not an ELF file");
  if (header.e_ident[EI_CLASS] != ELFCLASS64)
    throw CheckFailed(path + " is not a 64-bit ELF file");
  auto section = [&](uint64_t i) {
    return read_at<Elf64_Shdr>(file, header.e_shoff + i * header.e_shentsize, "section");
  };
  std::vector<std::string> names;
  for (uint64_t i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr dynsym = section(i);
    if (dynsym.sh_type != SHT_DYNSYM || dynsym.sh_entsize < sizeof(Elf64_Sym)) continue;
    Elf64_Shdr strtab = section(dynsym.sh_link);
    if (strtab.sh_offset > file.size() || file.size() - strtab.sh_offset < strtab.sh_size)
      throw CheckFailed("truncated ELF file: string table");
    for (uint64_t s = 1; s < dynsym.sh_size / dynsym.sh_entsize; ++s) {
      auto sym = read_at<Elf64_Sym>(file, dynsym.sh_offset + s * dynsym.sh_entsize, "symbol");
      if (sym.st_shndx == SHN_UNDEF || ELF64_ST_BIND(sym.st_info) == STB_LOCAL) continue;
      if (sym.st_name >= strtab.sh_size) throw CheckFailed("bad symbol name offset");
      const char* name = file.data() + strtab.sh_offset + sym.st_name;
      names.emplace_back(name, strnlen(name, strtab.sh_size - sym.st_name));
    }
  }
  return names;
}

void exports_only_the_entry_point(Kit& kit) {
  std::vector<std::string> names = exported_symbols(kit.plugin_path());
  if (names.size() == 1 && names[0] == JORMUN_ENTRY_SYMBOL) return;
  std::string list;
  for (size_t i = 0; i < names.size() && i < 10; ++i) list += " " + names[i];
  if (names.size() > 10) list += " ... (" + std::to_string(names.size()) + " in all)";
  throw CheckFailed("the plugin must export only " JORMUN_ENTRY_SYMBOL
                    " (build it with jormun_add_engine(), or hidden visibility and "
                    "engine.map); it exports:" +
                    (list.empty() ? std::string(" nothing") : list));
}

}  // namespace

void add_export_checks(Checks& checks) {
  checks.push_back(
      {"exports: the plugin exports only " JORMUN_ENTRY_SYMBOL, exports_only_the_entry_point});
}

}  // namespace jormun::check
