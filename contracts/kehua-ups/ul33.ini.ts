// The KEHUA UPS "UL33" command map, copied verbatim from the seed document
// /work/shared/seeds/003_7e4c1cb9a500ca34.txt (an INI file whose line breaks were lost: one line,
// entries separated by single spaces). Embedded so the contract does not read /work/shared at run
// time. Split into literals at section/comment boundaries for reading only; the concatenation is
// the exact seed text (contract.test.ts compares it with the seed when the file is present).
export const UL33_INI_SOURCE = 'seeds/003_7e4c1cb9a500ca34.txt';

export const UL33_INI: string =
  "#UL33协议命令" +
  " [CMD]" +
  " #;命令总数 cmd-count=98" +
  " ;type表示数据类型" +
  " cmd-1=交流输入相电压A" +
  " cmd-2=交流输入相电压B" +
  " cmd-3=交流输入相电压C" +
  " cmd-4=交流输出相电压A" +
  " cmd-5=交流输出相电压B" +
  " cmd-6=交流输出相电压C" +
  " cmd-7=交流输出电流A" +
  " cmd-8=交流输出电流B" +
  " cmd-9=交流输出电流C" +
  " cmd-10=电池电压" +
  " cmd-11=输出频率(三相一致)" +
  " cmd-12=交流输入线电压AB" +
  " cmd-13=交流输入线电压BC" +
  " cmd-14=交流输入线电压CA" +
  " cmd-15=A相输入电流" +
  " cmd-16=B相输入电流" +
  " cmd-17=C相输入电流" +
  " cmd-18=输入频率(三相一致)" +
  " cmd-19=A相旁路电压" +
  " cmd-20=B相旁路电压" +
  " cmd-21=C相旁路电压" +
  " cmd-22=A相旁路电流" +
  " cmd-23=B相旁路电流" +
  " cmd-24=C相旁路电流" +
  " cmd-25=旁路频率(三相一致)" +
  " cmd-26=电池温度" +
  " cmd-27=A相输出有功功率" +
  " cmd-28=B相输出有功功率" +
  " cmd-29=C相输出有功功率" +
  " cmd-30=电池电流" +
  " cmd-31=电池剩余后备时间" +
  " cmd-32=A相输出视在功率" +
  " cmd-33=B相输出视在功率" +
  " cmd-34=C相输出视在功率" +
  " cmd-35=A相输出负载百分比" +
  " cmd-36=B相输出负载百分比" +
  " cmd-37=C相输出负载百分比" +
  " cmd-38=环境温度" +
  " cmd-39=A相输出峰值比" +
  " cmd-40=B相输出峰值比" +
  " cmd-41=C相输出峰值比" +
  " cmd-42=供电方式" +
  " cmd-43=电池自检中" +
  " cmd-44=均充/浮充(正组)" +
  " cmd-45=开机/关机" +
  " cmd-46=UPS供电" +
  " cmd-47=发电机接入" +
  " cmd-48=输入空开状态" +
  " cmd-49=手动旁路空开状态" +
  " cmd-50=自动旁路空开状态" +
  " cmd-51=输出空开状态" +
  " cmd-52=发电机工作状态" +
  " cmd-53=同步/不同步" +
  " cmd-54=市电电压" +
  " cmd-55=整流器" +
  " cmd-56=逆变器" +
  " cmd-57=旁路情况(电压或频率)" +
  " cmd-58=蓄电池总电压状态" +
  " cmd-59=电池自检结果" +
  " cmd-60=市电频率" +
  " cmd-61=输入变压器过温" +
  " cmd-62=输出变压器过温" +
  " cmd-63=逆变晶闸管坏" +
  " cmd-64=旁路晶闸管坏" +
  " cmd-65=用户操作故障" +
  " cmd-66=逆变散热器过温" +
  " cmd-67=整流散热器过温" +
  " cmd-68=逆变风扇故障" +
  " cmd-69=整流风扇故障" +
  " cmd-70=电池接触器故障" +
  " cmd-71=主路接触器异常" +
  " cmd-72=辅助接触器异常" +
  " cmd-73=输入熔断器坏" +
  " cmd-74=输出熔断器坏" +
  " cmd-75=本机输出过载" +
  " cmd-76=并机系统过载" +
  " cmd-77=本机过载超时" +
  " cmd-78=旁路过流超时" +
  " cmd-79=辅作电源一故障" +
  " cmd-80=辅作电源二故障" +
  " cmd-81=旁路异常关机" +
  " cmd-82=旁路输入反序" +
  " cmd-83=主路输入反序" +
  " cmd-84=输入软启动失败" +
  " cmd-85=交流输出过压" +
  " cmd-86=输出冲击过流" +
  " cmd-87=逆变模块过流" +
  " cmd-88=整流模块过流" +
  " cmd-89=负载冲击转旁路" +
  " cmd-90=本小时允许切换次数限制" +
  " cmd-91=并机均流故障" +
  " cmd-92=母线电压低关机" +
  " cmd-93=邻机请求转旁路" +
  " cmd-94=环境温度过高" +
  " cmd-95=整流通讯故障" +
  " cmd-96=逆变通讯故障" +
  " cmd-97=并机板故障" +
  " cmd-98=直流母线过压故障" +
  " ;41H" +
  " [cmd-1] SendCmd=41 Index=17 Len=8 type=FLOAT" +
  " [cmd-2] SendCmd=41 Index=25 Len=8 type=FLOAT" +
  " [cmd-3] SendCmd=41 Index=33 Len=8 type=FLOAT" +
  " [cmd-4] SendCmd=41 Index=41 Len=8 type=FLOAT" +
  " [cmd-5] SendCmd=41 Index=49 Len=8 type=FLOAT" +
  " [cmd-6] SendCmd=41 Index=57 Len=8 type=FLOAT" +
  " [cmd-7] SendCmd=41 Index=65 Len=8 type=FLOAT" +
  " [cmd-8] SendCmd=41 Index=73 Len=8 type=FLOAT" +
  " [cmd-9] SendCmd=41 Index=81 Len=8 type=FLOAT" +
  " [cmd-10] SendCmd=41 Index=89 Len=8 type=FLOAT" +
  " [cmd-11] SendCmd=41 Index=97 Len=8 type=FLOAT" +
  " ;C0H" +
  " [cmd-12] SendCmd=C0 Index=19 Len=8 type=FLOAT" +
  " [cmd-13] SendCmd=C0 Index=27 Len=8 type=FLOAT" +
  " [cmd-14] SendCmd=C0 Index=35 Len=8 type=FLOAT" +
  " [cmd-15] SendCmd=C0 Index=43 Len=8 type=FLOAT" +
  " [cmd-16] SendCmd=C0 Index=51 Len=8 type=FLOAT" +
  " [cmd-17] SendCmd=C0 Index=59 Len=8 type=FLOAT" +
  " [cmd-18] SendCmd=C0 Index=67 Len=8 type=FLOAT" +
  " ;C1H" +
  " [cmd-19] SendCmd=C1 Index=19 Len=8 type=FLOAT" +
  " [cmd-20] SendCmd=C1 Index=27 Len=8 type=FLOAT" +
  " [cmd-21] SendCmd=C1 Index=35 Len=8 type=FLOAT" +
  " [cmd-22] SendCmd=C1 Index=43 Len=8 type=FLOAT" +
  " [cmd-23] SendCmd=C1 Index=51 Len=8 type=FLOAT" +
  " [cmd-24] SendCmd=C1 Index=59 Len=8 type=FLOAT" +
  " [cmd-25] SendCmd=C1 Index=67 Len=8 type=FLOAT" +
  " [cmd-26] SendCmd=C1 Index=75 Len=8 type=FLOAT" +
  " ;C2H" +
  " [cmd-27] SendCmd=C2 Index=43 Len=8 type=FLOAT" +
  " [cmd-28] SendCmd=C2 Index=51 Len=8 type=FLOAT" +
  " [cmd-29] SendCmd=C2 Index=59 Len=8 type=FLOAT" +
  " [cmd-30] SendCmd=C2 Index=67 Len=8 type=FLOAT" +
  " [cmd-31] SendCmd=C2 Index=75 Len=8 type=FLOAT" +
  " ;C3H" +
  " [cmd-32] SendCmd=C3 Index=19 Len=8 type=FLOAT" +
  " [cmd-33] SendCmd=C3 Index=27 Len=8 type=FLOAT" +
  " [cmd-34] SendCmd=C3 Index=35 Len=8 type=FLOAT" +
  " [cmd-35] SendCmd=C3 Index=43 Len=8 type=FLOAT" +
  " [cmd-36] SendCmd=C3 Index=51 Len=8 type=FLOAT" +
  " [cmd-37] SendCmd=C3 Index=59 Len=8 type=FLOAT" +
  " [cmd-38] SendCmd=C3 Index=67 Len=8 type=FLOAT" +
  " ;C4H" +
  " [cmd-39] SendCmd=C4 Index=19 Len=8 type=FLOAT" +
  " [cmd-40] SendCmd=C4 Index=27 Len=8 type=FLOAT" +
  " [cmd-41] SendCmd=C4 Index=35 Len=8 type=FLOAT" +
  " ;43H" +
  " [cmd-42] SendCmd=43 Index=17 Len=2 type=BYTE" +
  " [cmd-43] SendCmd=43 Index=21 Len=2 type=BYTE" +
  " [cmd-44] SendCmd=43 Index=23 Len=2 type=BYTE" +
  " [cmd-45] SendCmd=43 Index=25 Len=2 type=BYTE" +
  " [cmd-46] SendCmd=43 Index=27 Len=2 type=BYTE" +
  " [cmd-47] SendCmd=43 Index=29 Len=2 type=BYTE" +
  " [cmd-48] SendCmd=43 Index=31 Len=2 type=BYTE" +
  " [cmd-49] SendCmd=43 Index=33 Len=2 type=BYTE" +
  " [cmd-50] SendCmd=43 Index=35 Len=2 type=BYTE" +
  " [cmd-51] SendCmd=43 Index=37 Len=2 type=BYTE" +
  " [cmd-52] SendCmd=43 Index=39 Len=2 type=BYTE" +
  " ;44H" +
  " [cmd-53] SendCmd=44 Index=17 Len=2 type=BYTE" +
  " [cmd-54] SendCmd=44 Index=19 Len=2 type=BYTE" +
  " [cmd-55] SendCmd=44 Index=21 Len=2 type=BYTE" +
  " [cmd-56] SendCmd=44 Index=23 Len=2 type=BYTE" +
  " [cmd-57] SendCmd=44 Index=25 Len=2 type=BYTE" +
  " [cmd-58] SendCmd=44 Index=27 Len=2 type=BYTE" +
  " ;C7H" +
  " [cmd-59] SendCmd=C7 Index=19 Len=2 type=BYTE" +
  " [cmd-60] SendCmd=C7 Index=21 Len=2 type=BYTE" +
  " [cmd-61] SendCmd=C7 Index=23 Len=2 type=BYTE" +
  " [cmd-62] SendCmd=C7 Index=25 Len=2 type=BYTE" +
  " [cmd-63] SendCmd=C7 Index=27 Len=2 type=BYTE" +
  " [cmd-64] SendCmd=C7 Index=29 Len=2 type=BYTE" +
  " [cmd-65] SendCmd=C7 Index=31 Len=2 type=BYTE" +
  " [cmd-66] SendCmd=C7 Index=33 Len=2 type=BYTE" +
  " [cmd-67] SendCmd=C7 Index=35 Len=2 type=BYTE" +
  " [cmd-68] SendCmd=C7 Index=37 Len=2 type=BYTE" +
  " [cmd-69] SendCmd=C7 Index=39 Len=2 type=BYTE" +
  " [cmd-70] SendCmd=C7 Index=41 Len=2 type=BYTE" +
  " [cmd-71] SendCmd=C7 Index=43 Len=2 type=BYTE" +
  " [cmd-72] SendCmd=C7 Index=45 Len=2 type=BYTE" +
  " [cmd-73] SendCmd=C7 Index=47 Len=2 type=BYTE" +
  " [cmd-74] SendCmd=C7 Index=49 Len=2 type=BYTE" +
  " [cmd-75] SendCmd=C7 Index=51 Len=2 type=BYTE" +
  " [cmd-76] SendCmd=C7 Index=53 Len=2 type=BYTE" +
  " [cmd-77] SendCmd=C7 Index=55 Len=2 type=BYTE" +
  " [cmd-78] SendCmd=C7 Index=57 Len=2 type=BYTE" +
  " [cmd-79] SendCmd=C7 Index=59 Len=2 type=BYTE" +
  " [cmd-80] SendCmd=C7 Index=61 Len=2 type=BYTE" +
  " [cmd-81] SendCmd=C7 Index=63 Len=2 type=BYTE" +
  " [cmd-82] SendCmd=C7 Index=65 Len=2 type=BYTE" +
  " [cmd-83] SendCmd=C7 Index=67 Len=2 type=BYTE" +
  " [cmd-84] SendCmd=C7 Index=69 Len=2 type=BYTE" +
  " [cmd-85] SendCmd=C7 Index=71 Len=2 type=BYTE" +
  " [cmd-86] SendCmd=C7 Index=73 Len=2 type=BYTE" +
  " [cmd-87] SendCmd=C7 Index=75 Len=2 type=BYTE" +
  " [cmd-88] SendCmd=C7 Index=77 Len=2 type=BYTE" +
  " ;C8H" +
  " [cmd-89] SendCmd=C8 Index=19 Len=2 type=BYTE" +
  " [cmd-90] SendCmd=C8 Index=21 Len=2 type=BYTE" +
  " [cmd-91] SendCmd=C8 Index=23 Len=2 type=BYTE" +
  " [cmd-92] SendCmd=C8 Index=25 Len=2 type=BYTE" +
  " [cmd-93] SendCmd=C8 Index=27 Len=2 type=BYTE" +
  " [cmd-94] SendCmd=C8 Index=29 Len=2 type=BYTE" +
  " [cmd-95] SendCmd=C8 Index=47 Len=2 type=BYTE" +
  " [cmd-96] SendCmd=C8 Index=49 Len=2 type=BYTE" +
  " [cmd-97] SendCmd=C8 Index=51 Len=2 type=BYTE" +
  " [cmd-98] SendCmd=C8 Index=53 Len=2 type=BYTE" +
  " #Rs232协议命令类型" +
  " [TYPE]" +
  " #类型总数 type-count=2" +
  " #十六进制,UL代表UPSKEHUA协议 type-1=UL";
