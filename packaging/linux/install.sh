#!/bin/sh
# Install Caseworker for the current user from this folder, with no administrator rights:
#   ./install.sh            install, or update an earlier installation
#   ./install.sh --remove   remove the program
# The program goes to ~/.local/opt/caseworker (or $CASEWORKER_PREFIX), the command to
# ~/.local/bin/caseworker, the menu entry and icons to ~/.local/share. The store, with the
# centre's statistics, lives apart (~/.local/share/Caseworker) and is never touched here.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
prefix=${CASEWORKER_PREFIX:-$HOME/.local/opt/caseworker}
bin=$HOME/.local/bin
sizes="16 24 32 48 64 128 256 512"

refresh_menus() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
}

if [ "${1:-}" = "--remove" ]; then
  rm -rf "$prefix"
  rm -f "$bin/caseworker" "$data/applications/caseworker.desktop" "$data/icons/hicolor/scalable/apps/caseworker.svg"
  for size in $sizes; do rm -f "$data/icons/hicolor/${size}x${size}/apps/caseworker.png"; done
  refresh_menus
  echo "Caseworker was removed. The store and its backups were not touched."
  exit 0
fi

if [ ! -x "$here/caseworker" ] || [ ! -d "$here/_internal" ]; then
  echo "install.sh: run it from the unpacked Caseworker folder (caseworker and _internal beside it)." >&2
  exit 1
fi
if [ "$here" = "$prefix" ]; then
  echo "install.sh: Caseworker is already installed here." >&2
  exit 1
fi

# Copy beside the target first, then swap, so that a failed copy leaves the old version working.
mkdir -p "$(dirname "$prefix")" "$bin" "$data/applications"
rm -rf "$prefix.new"
cp -R "$here" "$prefix.new"
rm -rf "$prefix.old"
if [ -e "$prefix" ]; then mv "$prefix" "$prefix.old"; fi
mv "$prefix.new" "$prefix"
rm -rf "$prefix.old"

ln -sf "$prefix/caseworker" "$bin/caseworker"
icons="$prefix/_internal/caseworker/resources/icons"
for size in $sizes; do
  mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
  cp "$icons/caseworker-$size.png" "$data/icons/hicolor/${size}x${size}/apps/caseworker.png"
done
mkdir -p "$data/icons/hicolor/scalable/apps"
cp "$icons/caseworker.svg" "$data/icons/hicolor/scalable/apps/caseworker.svg"
sed -e "s|^Exec=.*|Exec=$prefix/caseworker|" -e "s|^TryExec=.*|TryExec=$prefix/caseworker|" \
  "$prefix/caseworker.desktop" > "$data/applications/caseworker.desktop"
refresh_menus

echo "Caseworker $("$prefix/caseworker" --version | cut -d' ' -f2) is installed in $prefix."
echo "Start it from the applications menu, or run: $bin/caseworker"
